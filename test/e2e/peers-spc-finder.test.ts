import { join } from 'node:path';
import { expect, it } from 'vitest';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';

/**
 * Peers as the benchmark of SPC assurance on the provider page and of the variation finder (issue 18): each is
 * chosen from the view's own menu, offered only when the demo's attributes make peers, and the page it leads to
 * draws (the peer benchmark line, the findings naming the peer group) rather than erring. Photographed into
 * artefacts/e2e at desktop and phone sizes.
 */
const provider = 'RZA';
const indicator = 'VA-CANCER62';

describeDemoInBrowser('peer benchmarks in the dashboard: SPC assurance and the variation finder', ({ app }) => {
  const served = servedDashboard(() => app().fetch);

  it.each([
    ['desktop', 1440, 900],
    ['phone', 375, 812],
  ])('%s (%i × %i): the SPC section offers its most similar providers and draws their benchmark line', async (name, width, height) => {
    const page = await served.browser().newPage({ viewport: { width, height } });
    await page.goto(`${served.origin()}/providers/${provider}#indicator-${indicator}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const section = page.locator(`#indicator-${indicator}`);
    await section.locator('[data-chart=spc][data-chart-state=rendered]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-spc-peers]').getAttribute('data-spc-peers')).resolves.toBe('available');
    await section.locator(`select[name=benchmark-${indicator}]`).selectOption('peers');
    await section.locator('[data-spc-settings] button[type=submit]').click();
    await page.waitForURL(new RegExp(`benchmark-${indicator}=peers`));
    await section.locator('[data-peer-assurance]').waitFor({ timeout: 60_000 });
    await section.locator('[data-chart=spc][data-chart-state=rendered]').waitFor({ timeout: 60_000 });
    const expected = await getJson(app(), `/api/trends/spc?indicator=${indicator}&organisation=${provider}&benchmark=peers&peersOf=${provider}&k=10`);
    const drawn = await section.locator('[data-chart=spc]').evaluate((element) => {
      const options = (element as HTMLElement & { echarts: any }).echarts.getOption();
      return options.series.find((series: { id: string }) => series.id === 'peers')?.data;
    });
    expect(drawn).toEqual(expected.points.map((point: { peers: { value: number | null } }) => point.peers.value ?? '-'));
    await expect(section.locator('[data-assurance]').textContent()).resolves.toContain('its peers');
    await section.locator('[data-chart=spc]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artefactsDir, 'e2e', `peers-spc-${name}.png`) });
    await page.close();
  }, 240_000);

  it.each([
    ['desktop', 1440, 900],
    ['phone', 375, 812],
  ])('%s (%i × %i): the variation finder judges each member against its own most similar providers', async (name, width, height) => {
    const page = await served.browser().newPage({ viewport: { width, height } });
    // Once hydrated: a choice made before would be reset by hydration and the form sent without it.
    await page.goto(`${served.origin()}/variation?network=KB-CANCER`, { waitUntil: 'networkidle', timeout: 90_000 });
    await page.locator('[data-finder-benchmark]').selectOption('nearest');
    await page.locator('form.va-toolbar button[type=submit]').click();
    await page.waitForURL(/against=nearest/);
    await page.locator('[data-against-peers]').waitFor({ timeout: 90_000 });
    const expected = await getJson(app(), '/api/variation?network=KB-CANCER&benchmark=peers&nearest=true&k=10');
    await expect(page.locator('[data-finding]').count()).resolves.toBe(expected.findings.length);
    if (expected.findings.length > 0) await expect(page.locator('[data-finding]').first().textContent()).resolves.toContain('most similar trusts');
    await page.screenshot({ path: join(artefactsDir, 'e2e', `peers-finder-${name}.png`) });
    await page.close();
  }, 240_000);
});
