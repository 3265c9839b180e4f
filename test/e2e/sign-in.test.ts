import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { defaultRoleClaims, type ApiConfig } from '../../api/context';
import { schema } from '../../db';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider';

/**
 * Signing in to the dashboard in Debian's Chromium, through the login and consent pages of a real OpenID
 * Connect provider (oidc-provider on another port), as `npm start` serves it. What a signed-in network lead
 * sees that an anonymous visitor does not: their name and role, their restricted network, the upload link.
 */
const screenshots = join(artefactsDir, 'e2e');
const lead = { subject: 'entra-oid-network-lead', name: 'Nia Network-Lead' };

describeDemoInBrowser('sign-in in Chromium', ({ database }) => {
  let server: Server;
  let origin: string;
  let provider: TestIdentityProvider;
  let browser: Browser;
  /** The API the server answers with; a test may swap it for one in required mode. */
  let api: ReturnType<typeof createApp>;
  let restricted: string;
  /** Console errors of the dashboard's own pages (the provider's development pages are not ours to judge). */
  const pageErrors: string[] = [];

  const apiWith = (config: Partial<ApiConfig> = {}) =>
    createApp({
      db: database().db,
      databaseKind: database().kind,
      config: { signIn: { issuer: provider.issuer, clientId: provider.clientId, clientSecret: provider.clientSecret, publicUrl: origin, roleClaims: defaultRoleClaims }, ...config },
    });

  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = createAtlasServer((request) => api.fetch(request), await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    provider = await startTestIdentityProvider({
      redirectUri: `${origin}/api/auth/callback`,
      accounts: { [lead.subject]: { name: lead.name, email: 'nia.lead@nhs.net', roles: ['VariationAtlas.Analyst'] } },
    });
    api = apiWith();
    // One demo network made restricted, with the lead as its only member.
    const { db } = database();
    const [network] = await db.select().from(schema.networks).orderBy(schema.networks.code).limit(1);
    restricted = network.code;
    await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.id, network.id));
    const [user] = await db.insert(schema.users).values({ subject: lead.subject, issuer: provider.issuer }).returning();
    await db.insert(schema.userNetworks).values({ userId: user.id, networkId: network.id });
    browser = await launchChromium();
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await provider?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function newPage(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    // The provider's development pages import a web font from the internet, which this closed machine would wait on.
    await page.route('https://fonts.googleapis.com/**', (route) => route.abort());
    page.on('console', (message) => {
      if (message.type() === 'error' && message.location().url.startsWith(origin)) pageErrors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => {
      if (page.url().startsWith(origin)) pageErrors.push(`${page.url()}: ${error.message}`);
    });
    return page;
  }

  /** The provider's development login and consent pages, as a person would fill them in. */
  async function signInAtProvider(page: Page) {
    await page.waitForURL((url) => url.href.startsWith(provider.issuer));
    await page.locator('input[name=login]').fill(lead.subject);
    await page.locator('input[name=password]').fill('any password');
    await page.locator('button[type=submit]').click();
    await page.locator('input[name=prompt][value=consent]').waitFor({ state: 'attached' });
    await page.locator('button[type=submit]').click();
  }

  const networkRow = (page: Page) => page.locator(`tr[data-network="${restricted}"]`);

  it('signs a network lead in from the header, shows their name, role and restricted network, and signs them out', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await newPage(context);
    await page.goto(`${origin}/indicators`, { waitUntil: 'networkidle' });
    expect(await anonymousView()).toEqual({ listed: 0, status: 404 });
    const signIn = page.getByRole('link', { name: 'Sign in' });
    await expect(signIn.getAttribute('href')).resolves.toBe('/api/auth/sign-in?returnTo=%2Findicators');
    await expect(page.getByRole('link', { name: 'Upload data' }).count()).resolves.toBe(0);

    await signIn.click();
    await signInAtProvider(page);
    await page.waitForURL(`${origin}/indicators`);
    await page.waitForLoadState('networkidle');
    const account = page.locator('[data-signed-in]');
    await expect(account.textContent()).resolves.toContain(lead.name);
    await expect(account.locator('[data-role]').textContent()).resolves.toBe('Analyst');
    await expect(page.getByRole('link', { name: 'Upload data' }).getAttribute('href')).resolves.toBe('/uploads');
    const cookie = (await context.cookies(origin)).find((entry) => entry.name === 'va_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });

    await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    await expect(networkRow(page).count()).resolves.toBe(1);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `signed-in-${database().kind}.png`), fullPage: true });
    const networkPage = await page.goto(`${origin}/networks/${restricted}`, { waitUntil: 'networkidle' });
    expect(networkPage?.status()).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${origin}/`);
    await page.getByRole('link', { name: 'Sign in' }).waitFor();
    await expect(networkRow(page).count()).resolves.toBe(0);
    expect((await context.cookies(origin)).find((entry) => entry.name === 'va_session')).toBeUndefined();
    await context.close();
  }, 180_000);

  /** What a browser of its own, never signed in, sees of the restricted network: its row on the home page and its page's status. */
  async function anonymousView(): Promise<{ listed: number; status: number | undefined }> {
    const anonymous = await browser.newContext();
    const page = await anonymous.newPage();
    await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
    const listed = await networkRow(page).count();
    const status = (await page.goto(`${origin}/networks/${restricted}`))?.status();
    await anonymous.close();
    return { listed, status };
  }

  it('fits the signed-in header on a 375 px screen without sideways scrolling', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await newPage(context);
    await page.goto(`${origin}/api/auth/sign-in?returnTo=%2F`);
    await signInAtProvider(page);
    await page.waitForURL(`${origin}/`);
    await page.locator('[data-signed-in]').waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: join(screenshots, `signed-in-narrow-${database().kind}.png`), fullPage: true });
    await context.close();
  }, 120_000);

  it('explains a failed sign-in in plain words and offers to try again', async () => {
    const context = await browser.newContext();
    const page = await newPage(context);
    await page.goto(`${origin}/sign-in?error=access_denied`, { waitUntil: 'networkidle' });
    await expect(page.locator('[data-sign-in-error=access_denied]').textContent()).resolves.toContain('ask your local Variation Atlas administrator');
    await expect(page.getByRole('link', { name: 'Try signing in again' }).getAttribute('href')).resolves.toBe('/api/auth/sign-in?returnTo=%2F');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `sign-in-error-${database().kind}.png`), fullPage: true });
    await context.close();
  }, 60_000);

  it('in required mode sends a visitor without a session to sign in, and back to the page they asked for', async () => {
    api = apiWith({ auth: 'required' });
    try {
      const context = await browser.newContext();
      const page = await newPage(context);
      await page.goto(`${origin}/variation`);
      await signInAtProvider(page);
      await page.waitForURL(`${origin}/variation`);
      await expect(page.locator('[data-signed-in]').textContent()).resolves.toContain(lead.name);
      await context.close();
    } finally {
      api = apiWith();
    }
  }, 120_000);

  it('logged no console error on any dashboard page (content security policy violations included)', () => {
    expect(pageErrors).toEqual([]);
  });
});
