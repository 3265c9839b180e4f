import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { artefactsDir, ensureDashboardBuilt } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { measureChartLabels, type LabelLayoutReport } from '../support/label-layout';
import { servedDashboard } from '../support/served-dashboard';

/**
 * The funnel's provider names, as ECharts laid them out on the indicator page (issue 16): no name over another,
 * over a limit curve, the benchmark, a target or the false discovery rate line, or over the key; every provider
 * beyond the 99.8 % limit on the worse side, among those drawn emphasised, is named. Rectangles come from the
 * labels' own zrender elements and lines from the series' data through `convertToPixel`, so the check reads the
 * drawing, not the placement code's idea of it. Photographed into artefacts/e2e.
 */
const views = [
  { name: 'cancer62-network-fdr', path: '/indicators/VA-CANCER62?network=KB-CANCER&fdr=true' },
  { name: 'cancer62', path: '/indicators/VA-CANCER62' },
  { name: 'shmi-network', path: '/indicators/VA-SHMI?network=KB-CVD-SCN' },
  { name: 'shmi', path: '/indicators/VA-SHMI' },
];

describeDemoInBrowser('funnel names placed clear of each other, the lines and the key', ({ app }) => {
  // Built before the shared hook, whose five minutes a loaded machine's build can outlast.
  beforeAll(() => ensureDashboardBuilt(), 1_200_000);
  const served = servedDashboard(() => app().fetch);

  async function report(page: Page): Promise<LabelLayoutReport> {
    await expect.poll(() => page.locator('[data-chart=funnel][data-chart-state=rendered]').count(), { timeout: 60_000 }).toBe(1);
    // Labels are placed once the first layout is known; wait for the last frame.
    await page.waitForTimeout(300);
    return page.evaluate(`(${measureChartLabels.toString()})(document.querySelector('[data-chart=funnel]').echarts)`) as Promise<LabelLayoutReport>;
  }

  for (const view of views) {
    it.each([
      ['desktop', 1440, 900],
      ['phone', 375, 812],
    ])(`${view.name}, %s (%i × %i)`, async (size, width, height) => {
      const page = await served.browser().newPage({ viewport: { width, height } });
      await page.goto(`${served.origin()}${view.path}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
      const measured = await report(page);
      await page.locator('[data-chart=funnel]').scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artefactsDir, 'e2e', `funnel-labels-${view.name}-${size}.png`) });
      await page.close();
      console.log(
        `funnel labels ${view.name} ${size}: ${measured.labels.length} names, ${measured.labelOverlaps.length} name/name, ${measured.lineCrossings.length} name/line, ` +
          `${measured.keyOverlaps.length} name/key, ${measured.markerOverlaps.length} name/marker (${measured.signalMarkerOverlaps.length} signals' names over a marker), ${measured.outsidePlot.length} outside the plot; worse beyond 99.8 %: ${measured.worseSignals.filter((signal) => signal.labelled).length}/${measured.worseSignals.length} named`,
      );
      expect(measured.lineCount, 'lines found').toBeGreaterThan(2);
      expect(measured.labels.length, 'some names drawn').toBeGreaterThan(0);
      expect(measured.labelOverlaps).toEqual([]);
      expect(measured.lineCrossings).toEqual([]);
      expect(measured.keyOverlaps).toEqual([]);
      expect(measured.outsidePlot).toEqual([]);
      expect(measured.markerOverlaps).toEqual([]);
      expect(measured.worseSignals.filter((signal) => !signal.labelled).map((signal) => signal.name)).toEqual([]);
    }, 180_000);
  }
});
