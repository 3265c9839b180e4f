import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { artefactsDir } from '../support/browser';
import { servedDashboard } from '../support/served-dashboard';
import { describeDemoInBrowser, getJson } from '../support/demo-api';

/**
 * The provider page's SPC charts are mostly plot (issue 16): at desktop and phone sizes, every chart's grid
 * (the plotting rectangle ECharts lays out) covers at least 55 % of its canvas, since the frame's heading, key
 * and footnote are HTML. Each indicator's section is where `/providers/<code>#indicator-<CODE>` lands, and the
 * chart controls redraw it on the chart asked for. Photographed into artefacts/e2e.
 */
const provider = 'RZB';

interface PlotShare {
  code: string;
  canvas: { width: number; height: number };
  grid: { width: number; height: number };
}

describeDemoInBrowser('readable SPC charts on the provider page', ({ app }) => {
  const served = servedDashboard(() => app().fetch);

  async function reportedCodes(): Promise<string[]> {
    const profile = await getJson(app(), `/api/profile/${provider}`);
    return profile.indicators.filter((entry: { reported: boolean }) => entry.reported).map((entry: { indicator: { code: string } }) => entry.indicator.code);
  }

  /** Each SPC chart's canvas and the grid rectangle its ECharts instance laid out. */
  async function plotShares(page: Page, count: number): Promise<PlotShare[]> {
    await expect.poll(() => page.locator('[data-chart=spc][data-chart-state=rendered]').count(), { timeout: 60_000 }).toBe(count);
    return page.evaluate(() =>
      Array.from(document.querySelectorAll('[data-chart=spc]')).map((element) => {
        const chart = (element as HTMLElement & { echarts: any }).echarts;
        const rect = chart.getModel().getComponent('grid').coordinateSystem.getRect();
        return {
          code: element.closest('section[id^=indicator-]')!.id.replace('indicator-', ''),
          canvas: { width: chart.getWidth(), height: chart.getHeight() },
          grid: { width: rect.width, height: rect.height },
        };
      }),
    );
  }

  it.each([
    ['desktop', 1440, 900],
    ['phone', 375, 812],
  ])('%s (%i × %i): every SPC chart is at least 400 px tall and its plot at least 55 per cent of the canvas', async (name, width, height) => {
    const codes = await reportedCodes();
    const page = await served.browser().newPage({ viewport: { width, height } });
    await page.goto(`${served.origin()}/providers/${provider}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const shares = await plotShares(page, codes.length);
    expect(shares.map((share) => share.code).sort()).toEqual([...codes].sort());
    for (const share of shares) {
      expect(share.canvas.height, share.code).toBeGreaterThanOrEqual(400);
      const fraction = (share.grid.width * share.grid.height) / (share.canvas.width * share.canvas.height);
      expect(fraction, `${share.code}: ${share.grid.width}×${share.grid.height} of ${share.canvas.width}×${share.canvas.height}`).toBeGreaterThanOrEqual(0.55);
    }
    await page.locator(`#indicator-${codes[0]}`).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artefactsDir, 'e2e', `spc-readable-${name}.png`) });
    await page.close();
  }, 180_000);

  it("lands on an indicator's section from a link, says why its chart was chosen, and redraws it on the chart asked for", async () => {
    const codes = await reportedCodes();
    const spcs = await Promise.all(codes.map((code) => getJson(app(), `/api/trends/spc?indicator=${code}&organisation=${provider}`)));
    const index = spcs.findIndex((spc) => spc.settings.chartChoice.rule !== null);
    expect(index).toBeGreaterThanOrEqual(0);
    const code = codes[index];
    const page = await served.browser().newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${served.origin()}/providers/${provider}#indicator-${code}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const section = page.locator(`#indicator-${code}`);
    await section.locator('[data-chart=spc][data-chart-state=rendered]').waitFor({ timeout: 60_000 });
    await expect.poll(() => section.evaluate((element) => element.getBoundingClientRect().top < window.innerHeight)).toBe(true);
    const choice = section.locator('[data-chart-choice]');
    await expect(choice.getAttribute('data-chart-choice')).resolves.toBe(spcs[index].kind);
    await expect(choice.textContent()).resolves.toContain(`σ_z is ${spcs[index].settings.chartChoice.sigmaZ.toFixed(2)}`);

    await section.locator(`select[name=chart-${code}]`).selectOption('xmr');
    await section.locator('[data-spc-settings] button[type=submit]').click();
    await page.waitForURL(new RegExp(`chart-${code}=xmr`));
    await expect.poll(() => section.locator('[data-chart-choice]').getAttribute('data-chart-choice'), { timeout: 30_000 }).toBe('xmr');
    await expect(section.locator('[data-chart-choice]').textContent()).resolves.toContain('as chosen');
    await page.close();
  }, 180_000);
});
