import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { openPage, pagesScrollingSideways, signedInContexts } from '../support/signed-in-browser';

/**
 * Administration in the dashboard, in Debian's Chromium, served as `npm start` serves it: an admin restricts
 * a network and grants it to an analyst with the pages' plain forms; the analyst's browser then sees the
 * network and an anonymous one does not; the audit page lists both changes under the admin's name and
 * filters by action. Without the pages' forms posting straight to the API (and its 303 back), none of this
 * would work without script or SvelteKit's origin configured.
 */
const screenshots = join(artefactsDir, 'e2e');
const hidden = 'KB-CVD-SCN';

describeDemoInBrowser('admin pages in Chromium', ({ database }) => {
  let server: Server;
  let origin: string;
  let browser: Browser;
  let sessions: Record<'admin' | 'analyst' | 'anonymous', BrowserContext>;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const { db } = database();
    server = createAtlasServer(createApp({ db, databaseKind: database().kind }).fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    const signedIn = await signedInContexts(browser, db, origin, {
      admin: { subject: 'admin@example.nhs.uk', displayName: 'Ada Admin', role: 'admin' },
      analyst: { subject: 'analyst@example.nhs.uk', displayName: 'Ana Analyst', role: 'analyst' },
    });
    sessions = { ...signedIn, anonymous: await browser.newContext({ viewport: { width: 1280, height: 900 } }) };
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  const open = (path: string, context: BrowserContext, status = 200) => openPage(context, origin, path, pageErrors, status);

  it('an admin restricts a network and grants it to an analyst: the analyst sees it, an anonymous visitor does not', async () => {
    const before = await open(`/networks/${hidden}`, sessions.anonymous);
    await before.close();

    const networks = await open('/admin/networks', sessions.admin);
    expect(await seriousAccessibilityViolations(networks)).toEqual([]);
    const row = networks.locator(`[data-network="${hidden}"]`);
    await row.locator('[data-toggle-restriction]').click();
    await networks.waitForURL(`${origin}/admin/networks?network=${hidden}&saved=changed`);
    await expect(networks.locator(`[data-network="${hidden}"] [data-restricted]`).count()).resolves.toBe(1);
    await expect(networks.locator('[data-admin-saved]').textContent()).resolves.toContain('now restricted');
    await networks.close();

    const users = await open('/admin/users', sessions.admin);
    expect(await seriousAccessibilityViolations(users)).toEqual([]);
    const card = users.locator('[data-user="analyst@example.nhs.uk"]');
    await card.locator(`input[name=networks][value="${hidden}"]`).check();
    await card.getByRole('button', { name: 'Save Ana Analyst' }).click();
    await users.waitForURL(/\/admin\/users\?user=\d+&saved=changed$/);
    await expect(users.locator(`[data-user="analyst@example.nhs.uk"] input[name=networks][value="${hidden}"]`).isChecked()).resolves.toBe(true);
    await expect(users.locator('[data-admin-saved]').textContent()).resolves.toContain('Ana Analyst was saved');
    await users.screenshot({ path: join(screenshots, `admin-users-${database().kind}.png`), fullPage: true });
    await users.close();

    const analyst = await open(`/networks/${hidden}`, sessions.analyst);
    await expect(analyst.locator('h1').textContent()).resolves.toBeTruthy();
    await analyst.close();
    const anonymous = await open(`/networks/${hidden}`, sessions.anonymous, 404);
    await anonymous.close();
  }, 180_000);

  it('refuses the last admin’s demotion with the reason on the page', async () => {
    const users = await open('/admin/users', sessions.admin);
    const card = users.locator('[data-user="admin@example.nhs.uk"]');
    await card.locator('select[name=role]').selectOption('viewer');
    await card.getByRole('button', { name: 'Save Ada Admin' }).click();
    await users.waitForURL(/error=last_admin$/);
    await expect(users.locator('[data-admin-error]').textContent()).resolves.toContain('only admin');
    await expect(users.locator('[data-user="admin@example.nhs.uk"] select[name=role]').inputValue()).resolves.toBe('admin');
    await users.close();
  }, 60_000);

  it('lists those changes in the audit trail under the admin’s name, and filters by action', async () => {
    const audit = await open('/admin/audit', sessions.admin);
    expect(await seriousAccessibilityViolations(audit)).toEqual([]);
    const restricted = audit.locator('[data-audit-event=setting_changed]').first();
    await expect(restricted.locator('[data-audit-who]').textContent()).resolves.toContain('Ada Admin (admin@example.nhs.uk)');
    await expect(restricted.locator('[data-audit-details]').textContent()).resolves.toContain('restricted to its members');
    const granted = audit.locator('[data-audit-event=user_changed]').first();
    await expect(granted.locator('[data-audit-who]').textContent()).resolves.toContain('Ada Admin');
    await expect(granted.locator('[data-audit-details]').textContent()).resolves.toMatch(new RegExp(`${hidden} \\(was none\\)`));
    await audit.screenshot({ path: join(screenshots, `admin-audit-${database().kind}.png`), fullPage: true });

    await audit.locator('#audit-action').selectOption('user_changed');
    await audit.getByRole('button', { name: 'Filter' }).click();
    await audit.waitForURL(/action=user_changed/);
    const actions = await audit.locator('[data-audit-event]').evaluateAll((items) => items.map((item) => item.getAttribute('data-audit-event')));
    // The demo load's own user changes are none, so exactly the grant is listed.
    expect(actions).toEqual(['user_changed']);
    await expect(audit.locator('#audit-action').inputValue()).resolves.toBe('user_changed');
    await audit.close();
  }, 60_000);

  it('tells anyone but an admin plainly, and offers them no Admin link', async () => {
    for (const who of ['analyst', 'anonymous'] as const) {
      for (const path of ['/admin', '/admin/users', '/admin/networks', '/admin/audit']) {
        const page = await open(path, sessions[who]);
        await expect(page.locator('[data-admin-refused]').count(), `${who} ${path}`).resolves.toBe(1);
        await expect(page.locator('nav[aria-label=Menu] a', { hasText: 'Admin' }).count()).resolves.toBe(0);
        await page.close();
      }
    }
    const admin = await open('/', sessions.admin);
    await expect(admin.locator('nav[aria-label=Menu] a', { hasText: 'Admin' }).getAttribute('href')).resolves.toBe('/admin');
    await admin.close();
  }, 60_000);

  it('fits a narrow screen (375 px) without sideways scrolling', async () => {
    const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await narrow.addCookies(await sessions.admin.cookies());
    expect(await pagesScrollingSideways(narrow, origin, ['/admin', '/admin/users', '/admin/networks', '/admin/audit'], pageErrors)).toEqual([]);
    await narrow.close();
  }, 60_000);

  it('logged no console error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
