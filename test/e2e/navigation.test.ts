import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { openPage } from '../support/signed-in-browser';

/**
 * Finding one's way as a commissioner or a network lead would, at a desktop's 1440 × 900 and a phone's 375 × 812:
 * the first screen's ranking, the search box and /providers, menus that lead nowhere broken, and signing in on
 * one's own machine. Served as `npm start` serves it on loopback, so the browser is a browser on this machine.
 */
const screenshots = join(artefactsDir, 'e2e');
const widths = { desktop: { width: 1440, height: 900 }, phone: { width: 375, height: 812 } } as const;

describeDemoInBrowser('navigation in Chromium', ({ database }) => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  const contexts = {} as Record<keyof typeof widths, BrowserContext>;
  const errors: string[] = [];
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    await ensureDashboardBuilt();
    app = createApp({ db: database().db, databaseKind: database().kind, config: { localSignIn: true } });
    server = createAtlasServer(app.fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    for (const [name, viewport] of Object.entries(widths)) contexts[name as keyof typeof widths] = await browser.newContext({ viewport });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const photograph = (page: Page, name: string, width: keyof typeof widths) => page.screenshot({ path: join(screenshots, `navigation-${name}-${width}-${database().kind}.png`), fullPage: true });

  it("home: networks ranked by the share of members giving concern, counts on screen on a phone", async () => {
    const summary = await getJson(app, '/api/variation/networks');
    for (const width of Object.keys(widths) as (keyof typeof widths)[]) {
      const page = await openPage(contexts[width], origin, '/', errors);
      await expect(page.locator('[data-most-concern] li').first().getAttribute('data-ranked')).resolves.toBe(summary.ranking[0]);
      const network = summary.networks.find((one: { code: string }) => one.code === summary.ranking[0]);
      await expect(page.locator('[data-most-concern] li').first().textContent()).resolves.toContain(`${network.providersOfConcern} of ${network.reportingProviders} members give concern`);
      // The concern column begins inside the window, so a phone shows it without scrolling the table.
      const cell = await page.locator(`tr[data-network="${network.code}"] [data-concern-providers]`).boundingBox();
      expect(cell!.x, width).toBeLessThan(widths[width].width);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await photograph(page, 'home', width);
      await page.close();
    }
  }, 120_000);

  it('search: the header box, by keyboard, finds a provider by code and the networks and indicators by name', async () => {
    const provider = (await getJson(app, '/api/organisations?kind=trust&limit=1')).organisations[0];
    for (const width of Object.keys(widths) as (keyof typeof widths)[]) {
      const page = await openPage(contexts[width], origin, '/', errors);
      await page.locator('#site-search').focus();
      await page.keyboard.type('cancer');
      await page.keyboard.press('Enter');
      await page.waitForURL(/\/providers\?q=cancer/);
      await expect(page.locator('[data-found-networks]').textContent()).resolves.toContain('Cancer Alliance');
      await expect(page.locator('[data-found-indicators] a').count()).resolves.toBeGreaterThan(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await photograph(page, 'search', width);
      await page.close();
      const byCode = await openPage(contexts[width], origin, `/providers?q=${provider.code.toLowerCase()}`, errors);
      await expect(byCode.locator(`a[data-provider="${provider.code}"]`).getAttribute('href')).resolves.toBe(`/providers/${provider.code}`);
      await byCode.close();
    }
  }, 120_000);

  it('/providers: every provider by type, each linking to its own page, and none scrolling sideways', async () => {
    const { organisations } = await getJson(app, '/api/organisations?limit=10000');
    const providers = organisations.filter((organisation: { kind: string }) => organisation.kind !== 'icb' && organisation.kind !== 'region');
    for (const width of Object.keys(widths) as (keyof typeof widths)[]) {
      const page = await openPage(contexts[width], origin, '/providers', errors);
      await expect(page.locator('a[data-provider]').count()).resolves.toBe(providers.length);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), width).toBeLessThanOrEqual(0);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await photograph(page, 'providers', width);
      if (width === 'desktop') {
        await page.locator('a[data-provider]').first().click();
        await page.waitForURL(/\/providers\/[A-Z0-9]+$/);
      }
      await page.close();
    }
  }, 120_000);

  it('menus: an indicator offers only its own conventions; a hand-typed one gets a plain-English page with a way back', async () => {
    const page = await openPage(contexts.desktop, origin, '/indicators/VA-CANCER62', errors);
    const offered = await page.locator('#convention option').allTextContents();
    expect(offered.join('|')).not.toMatch(/SHMI|Each indicator's own/);
    expect(offered[0]).toMatch(/This indicator's own/);
    await page.close();
    const spanning = await openPage(contexts.desktop, origin, '/variation?network=KB-CANCER', errors);
    await expect(spanning.locator('#convention option').first().textContent()).resolves.toBe("Each indicator's own");
    await expect(spanning.locator('#convention-hint').textContent()).resolves.toContain('the others keep their own');
    await spanning.close();
    const refused = await openPage(contexts.desktop, origin, '/indicators/VA-CANCER62?convention=shmi', errors, 422);
    const text = await refused.locator('main').textContent();
    expect(text).not.toMatch(/requires|funnelAnalysis/);
    expect(text).toContain('cannot be used for VA-CANCER62');
    await refused.locator('[data-without-parameter]').click();
    await refused.waitForURL(`${origin}/indicators/VA-CANCER62`);
    await refused.close();
  }, 120_000);

  it('sign-in on this machine: the button starts an administrator session, and Upload data opens', async () => {
    for (const width of Object.keys(widths) as (keyof typeof widths)[]) {
      const page = await openPage(contexts[width], origin, '/sign-in?returnTo=%2Fuploads', errors);
      expect(await seriousAccessibilityViolations(page)).toEqual([]);
      await photograph(page, 'sign-in', width);
      await page.close();
    }
    const page = await openPage(contexts.desktop, origin, '/', errors);
    await page.locator('.nhsuk-header__account-link', { hasText: 'Sign in' }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByRole('button', { name: 'Sign in on this machine' }).click();
    await page.waitForURL(`${origin}/`);
    await expect(page.locator('[data-signed-in]').textContent()).resolves.toContain('Administrator on this machine');
    await page.getByRole('link', { name: 'Upload data' }).click();
    await page.waitForURL(`${origin}/uploads`);
    await expect(page.locator('h1').textContent()).resolves.not.toMatch(/sign in/i);
    await page.close();
  }, 120_000);

  it('the API documentation fits a phone', async () => {
    const page = await contexts.phone.newPage();
    await page.goto(`${origin}/api/docs`);
    await page.locator('#paths section').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(widths.phone.width);
    await page.close();
  }, 60_000);

  it('no page logged an error', () => expect(errors).toEqual([]));
});
