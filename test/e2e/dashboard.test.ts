import { mkdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { chartSizes } from '../../api/charts';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';

/**
 * The dashboard in Debian's Chromium, on the demo data, served exactly as `npm start` serves it (the built
 * SvelteKit handler and the API on one port). Every page is opened, its charts compared with the API's
 * numbers, clicked through, downloaded from, checked with axe-core and photographed into artefacts/e2e.
 */
const screenshots = join(artefactsDir, 'e2e');

interface ApiFunnel {
  providers: { code: string; suppressed: boolean; value: number | null }[];
  curves: { kind: string; coverage: number; points: { precision: number; lower: number; upper: number }[] }[];
}

interface DrawnChart {
  state: string | undefined;
  providerIds: string[];
  /** Items ECharts holds in its own data model for the provider series, not just what the options asked for. */
  drawnProviderItems: number;
  limits: { id: string; data: unknown[] }[];
}

/** What the chart in `[data-chart=kind]` holds once drawn: read from the ECharts instance the dashboard leaves on it. */
async function drawnChart(page: Page, kind: string): Promise<DrawnChart> {
  await page.locator(`[data-chart=${kind}][data-chart-state=rendered]`).first().waitFor({ timeout: 30_000 });
  return page.evaluate((kind) => {
    const element = document.querySelector(`[data-chart=${kind}]`) as HTMLElement & { echarts: any };
    const chart = element.echarts;
    const series = chart.getOption().series as { id?: string; type: string; data: any[] }[];
    const providerSeries = series.flatMap((entry, index) => (entry.type === 'scatter' && entry.data.some((item) => item?.providerId) ? [index] : []));
    return {
      state: element.dataset.chartState,
      providerIds: providerSeries.flatMap((index) => series[index].data.map((item) => item.providerId as string)),
      drawnProviderItems: providerSeries.reduce((total, index) => total + chart.getModel().getSeriesByIndex(index).getData().count(), 0),
      limits: series.filter((entry) => String(entry.id).startsWith('limit-')).map((entry) => ({ id: String(entry.id), data: entry.data })),
    };
  }, kind);
}

function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describeDemoInBrowser('dashboard in Chromium', ({ app, database }) => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let context: BrowserContext;
  /** Console errors and uncaught exceptions of every page, by URL: a CSP violation or a failed request shows here. */
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = createAtlasServer(app().fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  /** Opens a page expecting `status`; the console of a page expected to fail is not watched (Chromium logs its status). */
  async function open(path: string, target = context, status = 200): Promise<Page> {
    const page = await target.newPage();
    if (status === 200) {
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(`${path}: ${message.text()}`);
      });
      page.on('pageerror', (error) => pageErrors.push(`${path}: ${error.message}`));
    }
    const response = await page.goto(`${origin}${path}`, { waitUntil: 'networkidle' });
    expect(response?.status(), path).toBe(status);
    return page;
  }

  async function photograph(page: Page, name: string) {
    await page.screenshot({ path: join(screenshots, `${name}-${database().kind}.png`), fullPage: true });
  }

  const demo = { network: 'KB-CANCER', indicator: 'VA-CANCER62', outlier: 'RZA', profiled: 'RZB' };

  it('home: every network by kind with its members and current outliers, as the API counts them', async () => {
    const summary = await getJson(app(), '/api/variation/networks');
    const page = await open('/');
    const headers = (await page.request.get(`${origin}/`)).headers();
    expect(headers['content-security-policy']).toMatch(/script-src 'self' 'sha256-/);
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers).toMatchObject({ 'x-content-type-options': 'nosniff', 'x-frame-options': 'DENY' });
    await expect(page.locator('h1').textContent()).resolves.toContain('unwarranted variation');
    for (const network of summary.networks) {
      const row = page.locator(`tr[data-network="${network.code}"]`);
      await expect(row.locator('[data-concern-providers]').textContent()).resolves.toContain(String(network.providersOfConcern));
      await expect(row.locator('th a').getAttribute('href')).resolves.toBe(`/networks/${network.code}`);
    }
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'home');
    await page.close();
  }, 120_000);

  it('network: the tartan rug holds a cell per member and indicator, and its table view the same judgements', async () => {
    const overview = await getJson(app(), `/api/overview?network=${demo.network}`);
    const page = await open(`/networks/${demo.network}`);
    // The rug is a table: a cell per member and indicator, each naming its judgement in words as well as by colour and glyph.
    const cells = page.locator('[data-chart-frame=tartan] .va-rug__cell');
    await expect.poll(() => cells.count()).toBe(overview.providers.length * overview.indicators.length);
    const labels = await cells.locator('.nhsuk-u-visually-hidden').allTextContents();
    expect(labels.every((label) => label.trim().length > 2)).toBe(true);
    await expect(page.locator('[data-chart-frame=tartan] .va-rug__provider a').first().getAttribute('href')).resolves.toMatch(/^\/providers\//);
    // Sorted by most outlying: the first row of the rug's table is a provider with the most outliers.
    const mostOutliers = Math.max(...overview.providers.map((provider: { counts: { outliers: number } }) => provider.counts.outliers));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'network');
    await page.getByRole('link', { name: 'Table' }).first().click();
    await page.waitForURL(/view-tartan=table/);
    const firstProvider = await page.locator('[data-chart-frame=tartan] tbody tr').first().locator('th').textContent();
    expect(overview.providers.find((provider: { name: string }) => provider.name === firstProvider?.trim()).counts.outliers).toBe(mostOutliers);
    await expect.poll(() => page.locator('[data-chart-frame=tartan] tbody tr').count()).toBe(overview.providers.length);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'network-table');
    await page.close();
  }, 120_000);

  it("indicator: the funnel draws a point per provider the API returns and the API's limit lines, point for point", async () => {
    const query = `indicator=${demo.indicator}&network=${demo.network}`;
    const funnel = await getJson<ApiFunnel>(app(), `/api/funnel?${query}`);
    const page = await open(`/indicators/${demo.indicator}?network=${demo.network}`);
    const drawn = await drawnChart(page, 'funnel');
    const shown = funnel.providers.filter((provider) => !provider.suppressed && provider.value !== null);
    expect(shown.length).toBeGreaterThan(10);
    expect(drawn.providerIds.sort()).toEqual(shown.map((provider) => provider.code).sort());
    expect(drawn.drawnProviderItems).toBe(shown.length);
    expect(drawn.limits).toHaveLength(funnel.curves.length);
    for (const curve of funnel.curves) {
      const line = drawn.limits.find((limit) => limit.id === `limit-${curve.kind}-${String(Number((curve.coverage * 100).toPrecision(12)))}`);
      expect(line, `${curve.kind} ${curve.coverage}`).toBeDefined();
      expect(line!.data).toEqual([...curve.points.map((point) => [point.precision, point.lower]), '-', ...curve.points.map((point) => [point.precision, point.upper])]);
    }
    await drawnChart(page, 'caterpillar');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'indicator');
    await page.close();
  }, 120_000);

  it('clicks from a network to an indicator, and from a point on its funnel to that provider', async () => {
    const page = await open(`/networks/${demo.network}`);
    await page.locator(`main a[href^="/indicators/${demo.indicator}?"]`).first().click();
    await page.waitForURL(new RegExp(`/indicators/${demo.indicator}\\?.*network=${demo.network}`));
    await drawnChart(page, 'funnel');
    await page.locator('[data-chart=funnel]').scrollIntoViewIfNeeded();
    const point = await page.evaluate((code) => {
      const element = document.querySelector('[data-chart=funnel]') as HTMLElement & { echarts: any };
      const series = element.echarts.getOption().series as { type: string; data: any[] }[];
      const seriesIndex = series.findIndex((entry) => entry.type === 'scatter' && entry.data.some((item) => item?.providerId === code));
      const item = series[seriesIndex].data.find((entry) => entry.providerId === code);
      const [x, y] = element.echarts.convertToPixel({ seriesIndex }, item.value);
      const box = element.getBoundingClientRect();
      return { x: box.left + x, y: box.top + y };
    }, demo.outlier);
    await page.mouse.click(point.x, point.y);
    await page.waitForURL(new RegExp(`/providers/${demo.outlier}(\\?|$)`));
    await expect(page.locator('h1').textContent()).resolves.toBeTruthy();
    await page.close();
  }, 120_000);

  it('provider: the spine chart, an SPC chart with its Making Data Count icons per indicator, and funnel positions', async () => {
    const profile = await getJson(app(), `/api/profile/${demo.profiled}`);
    const reported = profile.indicators.filter((entry: { reported: boolean }) => entry.reported);
    const page = await open(`/providers/${demo.profiled}`);
    await page.locator('[data-chart=spine][data-chart-state=rendered]').waitFor();
    await expect.poll(() => page.locator('[data-chart=spc]').count(), { timeout: 30_000 }).toBe(reported.length);
    for (const entry of reported) {
      const spc = await getJson(app(), `/api/trends/spc?indicator=${entry.indicator.code}&organisation=${demo.profiled}`);
      const section = page.locator(`#trend-${entry.indicator.code}`);
      await expect(section.locator('[data-variation]').getAttribute('data-variation')).resolves.toBe(spc.variation);
      await section.locator('[data-chart=spc][data-chart-state=rendered]').waitFor({ timeout: 30_000 });
    }
    await page.locator(`#trend-${reported[0].indicator.code} summary`, { hasText: 'Position in each period' }).click();
    await page.locator(`#trend-${reported[0].indicator.code} table tbody tr`).first().waitFor({ state: 'visible' });
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'provider');
    await page.close();
  }, 180_000);

  it("variation finder: the network's ranked findings with the API's sentences; an empty network says so", async () => {
    const variation = await getJson(app(), `/api/variation?network=${demo.network}`);
    const page = await open(`/variation?network=${demo.network}`);
    const sentences = await page.locator('[data-finding] .nhsuk-card__description').allTextContents();
    expect(sentences.map((sentence) => sentence.trim())).toEqual(variation.findings.map((finding: { sentence: string }) => finding.sentence));
    expect(sentences.some((sentence) => sentence.includes('Trust'))).toBe(true);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'variation');
    await page.close();

    const summary = await getJson(app(), '/api/variation/networks');
    const quiet = summary.networks.find((network: { outlyingResults: number }) => network.outlyingResults === 0);
    const empty = await open(`/variation?network=${quiet.code}`);
    await expect(empty.locator('[data-empty]').textContent()).resolves.toContain(quiet.name);
    await photograph(empty, 'variation-empty');
    await empty.close();
  }, 120_000);

  it('downloads a PNG of the stated size and a CSV with one row per provider', async () => {
    const funnel = await getJson<ApiFunnel>(app(), `/api/funnel?indicator=${demo.indicator}&network=${demo.network}`);
    const page = await open(`/indicators/${demo.indicator}?network=${demo.network}`);
    const [png] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart-frame=funnel] a[data-export=png]').click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    expect(pngSize(readFileSync(await png.path()))).toEqual(chartSizes.slide);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('[data-chart-frame=funnel] a[data-export=csv]').click()]);
    const lines = readFileSync(await csv.path(), 'utf8').trim().split(/\r?\n/);
    expect(lines[0]).toContain('code');
    expect(lines.slice(1).map((line) => line.split(',')[0]).sort()).toEqual(funnel.providers.map((provider) => provider.code).sort());
    await page.close();
  }, 120_000);

  it('builds a board pack from the form: the chosen network, period and indicators, as a PDF and as slides', async () => {
    const page = await open('/packs');
    await page.selectOption('#network', demo.network);
    await page.getByRole('button', { name: 'Choose network' }).click();
    await page.waitForURL(new RegExp(`/packs\\?network=${demo.network}`));
    await page.locator('[data-pack-form]').waitFor();
    const period = await page.locator('#period').inputValue();
    expect(period).toBeTruthy();
    await page.check(`#indicator-${demo.indicator}`);
    await page.check('#indicator-VA-SHMI');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'packs');
    await page.check('#format-pdf');
    const [pdf] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.getByRole('button', { name: 'Download the board pack' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    expect(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await page.check('#format-pptx');
    const [pptx] = await Promise.all([page.waitForEvent('download', { timeout: 90_000 }), page.getByRole('button', { name: 'Download the board pack' }).click()]);
    expect(pptx.suggestedFilename()).toMatch(/\.pptx$/);
    // A PPTX is a zip: its first bytes are the local file header's signature.
    expect(readFileSync(await pptx.path()).subarray(0, 4).toString('latin1')).toBe('PK\u0003\u0004');
    await page.close();
  }, 240_000);

  it('keeps the view in the URL: a changed method survives a reload, and the page shows what the API says of it', async () => {
    const page = await open(`/indicators/${demo.indicator}`);
    await page.selectOption('#adjustment', 'additive');
    await page.getByRole('button', { name: 'Update view' }).click();
    await page.waitForURL(/adjustment=additive/);
    await page.reload({ waitUntil: 'networkidle' });
    await expect(page.locator('#adjustment').inputValue()).resolves.toBe('additive');
    const funnel = await getJson(app(), `/api/funnel?indicator=${demo.indicator}&adjustment=additive`);
    expect(funnel.method.adjustment).toBe('additive');
    await expect(page.locator('[data-phi]').textContent()).resolves.toContain(funnel.overdispersion.phi.toFixed(3));
    await page.close();
  }, 120_000);

  it('works from the keyboard: the skip link first, then sortable tables by Enter', async () => {
    const page = await open(`/indicators/${demo.indicator}?view-funnel=table`);
    await page.keyboard.press('Tab');
    await expect(page.evaluate(() => document.activeElement?.textContent?.trim())).resolves.toBe('Skip to main content');
    await page.keyboard.press('Enter');
    await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('maincontent');
    const valueHeader = page.locator('[data-chart-frame=funnel] th', { hasText: 'Value' }).first();
    await valueHeader.locator('button').focus();
    await page.keyboard.press('Enter');
    await expect(valueHeader.getAttribute('aria-sort')).resolves.toBe('ascending');
    await page.keyboard.press('Enter');
    await expect(valueHeader.getAttribute('aria-sort')).resolves.toBe('descending');
    await page.close();
  }, 120_000);

  it('answers a bad address with the API’s own error, naming the parameter, and an unknown code with 404', async () => {
    const notFound = await open('/indicators/NOPE', context, 404);
    await expect(notFound.locator('h1').textContent()).resolves.toContain('Page not found');
    await expect(notFound.locator('.nhsuk-error-summary').textContent()).resolves.toContain('NOPE');
    await photograph(notFound, 'error-404');
    expect(await seriousAccessibilityViolations(notFound)).toEqual([]);
    await notFound.close();
    const bad = await open(`/indicators/${demo.indicator}?adjustment=sideways`, context, 400);
    await expect(bad.locator('.nhsuk-error-summary').textContent()).resolves.toContain('adjustment');
    await bad.close();
  }, 120_000);

  it('fits a narrow screen (375 px) without sideways scrolling, charts included', async () => {
    const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
    for (const [name, path] of [
      ['home', '/'],
      ['indicator', `/indicators/${demo.indicator}?network=${demo.network}`],
      ['provider', `/providers/${demo.profiled}`],
    ]) {
      const page = await open(path, narrow);
      if (name !== 'home') await page.locator('[data-chart][data-chart-state=rendered]').first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
      await photograph(page, `narrow-${name}`);
      await page.close();
    }
    await narrow.close();
  }, 180_000);

  it('renders the pages on the server, so the tables are there without script', async () => {
    const withoutScript = await browser.newContext({ javaScriptEnabled: false });
    const page = await open(`/networks/${demo.network}?view-tartan=table`, withoutScript);
    await expect(page.locator('[data-chart-frame=tartan] tbody tr').count()).resolves.toBeGreaterThan(5);
    // What the browser draws after painting says it needs script, rather than "Loading…" for ever.
    await expect(page.locator('[data-needs-script]').isVisible()).resolves.toBe(true);
    await expect(page.locator('[data-loading]').evaluateAll((elements) => elements.filter((element) => (element as HTMLElement).offsetParent !== null).length)).resolves.toBe(0);
    await withoutScript.close();
  }, 60_000);

  it('logged no console error on any page (content security policy violations and failed requests included)', () => {
    expect(pageErrors).toEqual([]);
  });
});
