import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { artefactsDir } from '../support/browser';
import { servedDashboard } from '../support/served-dashboard';
import { describeDemoInBrowser } from '../support/demo-api';

/**
 * The indicator page's funnel and caterpillar are mostly plot (issue 16): at desktop and phone sizes each
 * chart's grid (the plotting rectangle ECharts lays out) covers at least 55 % of its canvas, because the
 * frame's heading, key, line sentence and footnote are HTML; the key is printed at both widths; providers
 * link to their page at this indicator. Photographed into artefacts/e2e.
 */
const views = [
  { name: 'cancer62-network-fdr', code: 'VA-CANCER62', query: 'network=KB-CANCER&fdr=true' },
  { name: 'shmi-network', code: 'VA-SHMI', query: 'network=KB-CVD-SCN' },
];

interface PlotShare {
  kind: string;
  canvas: { width: number; height: number };
  grid: { width: number; height: number };
}

describeDemoInBrowser('readable funnel and caterpillar on the indicator page', ({ app }) => {
  const served = servedDashboard(() => app().fetch);

  /** The funnel's and the caterpillar's canvases and the grid rectangles their ECharts instances laid out. */
  async function plotShares(page: Page): Promise<PlotShare[]> {
    await expect.poll(() => page.locator('[data-chart=funnel][data-chart-state=rendered], [data-chart=caterpillar][data-chart-state=rendered]').count(), { timeout: 60_000 }).toBe(2);
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-chart=funnel], [data-chart=caterpillar]')).map((element) => {
        const chart = (element as HTMLElement & { echarts: any }).echarts;
        const rect = chart.getModel().getComponent('grid').coordinateSystem.getRect();
        return { kind: (element as HTMLElement).dataset.chart!, canvas: { width: chart.getWidth(), height: chart.getHeight() }, grid: { width: rect.width, height: rect.height } };
      }),
    );
  }

  for (const view of views) {
    it.each([
      ['desktop', 1440, 900],
      ['phone', 375, 812],
    ])(`${view.name}, %s (%i × %i): each plot is at least 55 per cent of its canvas and the key is printed`, async (name, width, height) => {
      const page = await served.browser().newPage({ viewport: { width, height } });
      await page.goto(`${served.origin()}/indicators/${view.code}?${view.query}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
      const shares = await plotShares(page);
      expect(shares.map((share) => share.kind).sort()).toEqual(['caterpillar', 'funnel']);
      for (const share of shares) {
        const fraction = (share.grid.width * share.grid.height) / (share.canvas.width * share.canvas.height);
        expect(fraction, `${share.kind}: ${share.grid.width}×${share.grid.height} of ${share.canvas.width}×${share.canvas.height}`).toBeGreaterThanOrEqual(0.55);
      }
      // The canvas carries no title: the frame's heading is the chart's.
      expect(await page.evaluate(() => (document.querySelector('[data-chart=funnel]') as HTMLElement & { echarts: any }).echarts.getOption().title[0].show)).toBe(false);
      const key = page.locator('[data-chart-frame=funnel] [data-chart-key] li');
      expect(await key.allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('99.8 % limit')]));
      const funnel = page.locator('[data-chart=funnel]');
      await funnel.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(artefactsDir, 'e2e', `funnel-readable-${view.name}-${name}.png`) });
      await page.close();
    }, 180_000);
  }

  it('links each provider to its page at this indicator', async () => {
    const page = await served.browser().newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${served.origin()}/indicators/VA-CANCER62?view-funnel=table`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const href = await page.locator('[data-chart-frame=funnel] table a').first().getAttribute('href', { timeout: 60_000 });
    expect(href).toMatch(/^\/providers\/[^#]+#indicator-VA-CANCER62$/);
    await page.close();
  }, 120_000);
});
