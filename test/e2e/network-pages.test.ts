import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';
import { signedInContexts, watchForErrors } from '../support/signed-in-browser';

/**
 * Issue 16's network pages in Chromium at 1440 × 900 and 375 × 812: the /networks index the menu reaches, every
 * menu link opening a page rather than an error, the network page's Making Data Count summary (counts as the API
 * gives them, each opening the list of its members), and the tartan rug as a list of members on a phone.
 * Photographed into artefacts/e2e.
 */
const widths = { desktop: { width: 1440, height: 900 }, phone: { width: 375, height: 812 } } as const;
type Width = keyof typeof widths;
const spcNetwork = 'KB-CC-ODN';

describeDemoInBrowser('network pages in Chromium', ({ app, database }) => {
  const served = servedDashboard(() => app().fetch);
  const errors: string[] = [];

  async function open(path: string, width: Width): Promise<Page> {
    const page = await served.browser().newPage({ viewport: widths[width] });
    watchForErrors(page, path, errors);
    const response = await page.goto(`${served.origin()}${path}`, { waitUntil: 'networkidle', timeout: 120_000 });
    expect(response?.status(), path).toBe(200);
    return page;
  }
  const photograph = (page: Page, name: string, width: Width, fullPage = true) => page.screenshot({ path: join(artefactsDir, 'e2e', `network-pages-${name}-${width}-${database().kind}.png`), fullPage });
  const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

  it.each(Object.keys(widths) as Width[])('/networks (%s): every network with its type, members and share giving concern, none scrolling sideways', async (width) => {
    const summary = await getJson(app(), '/api/variation/networks');
    const page = await open('/networks', width);
    await expect(page.locator('[data-network-index] tbody tr').count()).resolves.toBe(summary.networks.length);
    for (const network of summary.networks) {
      const row = page.locator(`tr[data-network="${network.code}"]`);
      await expect(row.locator('a').first().getAttribute('href')).resolves.toBe(`/networks/${network.code}`);
      await expect(row.locator('[data-members]').textContent()).resolves.toContain(String(network.members));
      await expect(row.locator('[data-concern-share]').textContent()).resolves.toContain(`${network.providersOfConcern} of ${network.reportingProviders}`);
    }
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'index', width);
    // The menu reaches it and marks it as the current page.
    await expect(page.locator('.nhsuk-header__navigation-link[href="/networks"]').getAttribute('aria-current')).resolves.toBe('page');
    await page.close();
  }, 120_000);

  it('every menu link, for a visitor and for an admin, opens a page and not an error page', async () => {
    const { admin } = await signedInContexts(served.browser(), database().db, served.origin(), { admin: { subject: 'network-pages-admin', displayName: 'Admin', role: 'admin' } });
    const visitor = await served.browser().newContext({ viewport: widths.desktop });
    for (const [who, context] of [['visitor', visitor], ['admin', admin]] as const) {
      const home = await context.newPage();
      await home.goto(`${served.origin()}/`, { waitUntil: 'domcontentloaded' });
      const hrefs = await home.locator('.nhsuk-header__navigation-link').evaluateAll((links) => links.map((link) => link.getAttribute('href')!));
      expect(hrefs, who).toContain('/networks');
      if (who === 'admin') expect(hrefs).toEqual(expect.arrayContaining(['/uploads', '/loads', '/admin']));
      await home.close();
      for (const href of hrefs) {
        const page = await context.newPage();
        const response = await page.goto(`${served.origin()}${href}`, { waitUntil: 'domcontentloaded', timeout: 120_000 });
        expect(response?.status(), `${who} ${href}`).toBe(200);
        await expect(page.locator('[data-error-code]').count(), `${who} ${href}`).resolves.toBe(0);
        await page.close();
      }
    }
    await visitor.close();
    await admin.close();
  }, 300_000);

  it.each(Object.keys(widths) as Width[])('network page (%s): the SPC summary counts members as the API does, and each count opens its members', async (width) => {
    const summary = await getJson(app(), `/api/trends/network-spc-summary?network=${spcNetwork}`);
    const page = await open(`/networks/${spcNetwork}`, width);
    const table = page.locator('[data-spc-table]');
    await table.waitFor({ timeout: 120_000 });
    await expect(table.locator('tbody tr').count()).resolves.toBe(summary.indicators.length);
    const keys = { improvement: 'variation', concern: 'variation', neutral: 'variation', common: 'variation', pass: 'assurance', fail: 'assurance', hitAndMiss: 'assurance' } as const;
    for (const entry of summary.indicators) {
      const row = table.locator(`tr[data-spc-indicator="${entry.indicator.code}"]`);
      for (const [key, family] of Object.entries(keys)) {
        await expect(row.locator(`[data-spc-count="${key}"]`).getAttribute('data-count'), `${entry.indicator.code} ${key}`).resolves.toBe(String(entry.counts[family][key]));
      }
      await expect(row.locator('[data-spc-count="withheld"]').getAttribute('data-count')).resolves.toBe(String(entry.counts.withheld));
      if (entry.network.status === 'charted') await expect(row.locator('[data-spc-network] [data-variation]').getAttribute('data-variation')).resolves.toBe(entry.network.variation);
    }
    expect(summary.indicators.some((entry: { counts: { withheld: number } }) => entry.counts.withheld > 0)).toBe(true);
    await page.locator('#spc-summary-heading').evaluate((heading) => heading.scrollIntoView({ block: 'start' }));
    await photograph(page, 'spc-summary', width, false);
    // A count opens the list of those members, each linking to its chart on the provider page.
    const entry = summary.indicators.find((one: { counts: { variation: { common: number } } }) => one.counts.variation.common > 0);
    await table.locator(`tr[data-spc-indicator="${entry.indicator.code}"] [data-spc-count="common"] a`).click();
    const list = page.locator(`#spc-${entry.indicator.code}-members [data-spc-members="common"]`);
    await expect.poll(() => list.isVisible()).toBe(true);
    const links = await list.locator('li > a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links).toHaveLength(entry.counts.variation.common);
    expect(links.every((href) => href!.startsWith('/providers/') && href!.endsWith(`#indicator-${entry.indicator.code}`))).toBe(true);
    expect(await sideways(page)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'spc-summary-members', width, false);
    await photograph(page, 'network', width);
    await page.close();
  }, 180_000);

  it('tartan rug: a grid at 1440 px, and on a phone a list of members, each indicator with its glyph and judgement in words', async () => {
    const summary = await getJson(app(), '/api/variation/networks');
    const network = summary.ranking[0];
    const overview = await getJson(app(), `/api/overview?network=${network}`);
    const desktop = await open(`/networks/${network}`, 'desktop');
    await expect(desktop.locator('[data-chart-frame=tartan] .va-rug').isVisible()).resolves.toBe(true);
    await expect(desktop.locator('[data-rug-list]').isVisible()).resolves.toBe(false);
    await desktop.close();
    const phone = await open(`/networks/${network}`, 'phone');
    await expect(phone.locator('[data-chart-frame=tartan] .va-rug').isVisible()).resolves.toBe(false);
    const list = phone.locator('[data-rug-list]');
    await expect(list.isVisible()).resolves.toBe(true);
    await expect(list.locator('[data-member]').count()).resolves.toBe(overview.providers.length);
    const items = list.locator('[data-member] li');
    await expect(items.count()).resolves.toBe(overview.providers.length * overview.indicators.length);
    const words = await list.locator('[data-judgement]').allTextContents();
    expect(words.filter((text) => !/than expected|As expected|Suppressed|Not assessed|No data/.test(text))).toEqual([]);
    // Readable: the first item's text and glyph are at least 14 px and the item spans most of the screen.
    const first = await items.first().evaluate((item) => {
      const text = item.querySelector('[data-judgement]')!;
      return { fontSize: parseFloat(getComputedStyle(text).fontSize), width: item.getBoundingClientRect().width };
    });
    expect(first.fontSize).toBeGreaterThanOrEqual(14);
    expect(first.width).toBeGreaterThan(250);
    // Every judged cell names its judgement by a glyph too, as the grid does.
    const glyphless = await list.locator('li:not([data-kind=no-judgement]) .va-rug-list__glyph').evaluateAll((glyphs) => glyphs.filter((glyph) => glyph.textContent!.trim() === '').length);
    expect(glyphless).toBe(0);
    expect(await sideways(phone)).toBeLessThanOrEqual(0);
    expect(await seriousAccessibilityViolations(phone)).toEqual([]);
    await list.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await photograph(phone, 'tartan-list', 'phone', false);
    await phone.close();
  }, 180_000);

  it('no page logged an error', () => expect(errors).toEqual([]));
});
