import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/tokens.queries';
import { createAlertDispatcher } from '../../api/changes/alert-dispatcher';
import { schema } from '../../db';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';
import { openPage, signedInContexts } from '../support/signed-in-browser';

/**
 * The network lead's loop from the dashboard alone, in Debian's Chromium: an overdue case's notice reaches its
 * owner's inbox on /alerts (the owner chosen as a user on the case page); the lead follows a provider from its
 * page and from /alerts and stops again; builds a peer set from a provider's nearest neighbours (the working shown
 * as tables) and one by hand, saves and deletes them, while a viewer sees the sets without the controls. Every
 * page is axe-checked and photographed at 1440 × 900 and 375 × 812 into artefacts/e2e.
 */
const network = 'KB-MT-ODN';
const screenshots = join(artefactsDir, 'e2e');

interface Finding {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
}

describeDemoInBrowser('the lead’s alerts and peers in Chromium', ({ app, database }) => {
  const served = servedDashboard(() => app().fetch);
  let lead: BrowserContext;
  let reader: BrowserContext;
  let leadId: number;
  let finding: Finding;
  let trust: string;
  const errors: string[] = [];

  beforeAll(async () => {
    ({ lead, reader } = await signedInContexts(served.browser(), database().db, served.origin(), {
      lead: { subject: 'lead@example.nhs.uk', displayName: 'Lena Lead', role: 'analyst' },
      reader: { subject: 'reader@example.nhs.uk', displayName: 'Rita Reader', role: 'viewer' },
    }));
    [{ id: leadId }] = await database().db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.subject, 'lead@example.nhs.uk'));
    finding = (await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`)).findings[0];
    const attributes = await database()
      .db.select({ code: schema.organisations.code })
      .from(schema.organisations)
      .where(eq(schema.organisations.kind, 'trust'))
      .orderBy(schema.organisations.code);
    trust = attributes[0].code;
    for (const context of [lead, reader]) {
      context.setDefaultNavigationTimeout(120_000);
      context.setDefaultTimeout(90_000);
    }
  }, 300_000);

  const open = (context: BrowserContext, path: string) => openPage(context, served.origin(), path, errors);

  /** The page at the desktop and the phone sizes, into artefacts/e2e. */
  async function photograph(page: Page, name: string) {
    for (const [label, viewport] of [['1440x900', { width: 1440, height: 900 }], ['375x812', { width: 375, height: 812 }]] as const) {
      await page.setViewportSize(viewport);
      await page.waitForTimeout(300);
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth), `${name} at ${label} scrolls sideways`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(screenshots, `lead-${name}-${label}-${database().kind}.png`), fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it('puts an overdue case’s notice in its owner’s inbox on /alerts, the owner chosen as a user on the case page', async () => {
    const { token } = await createApiToken(database().db, { userId: leadId, scopes: ['read', 'write'], days: 1 });
    const opened = await app().request('/api/cases', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ network, indicator: finding.indicator, organisation: finding.organisation.code, period: finding.period, owner: 'Someone outside' }),
    });
    expect(opened.status).toBe(201);
    const caseId = (await opened.json()).id as number;
    // The owner was a name only; the lead makes themself the owner with the select on the case page.
    const casePage = await open(lead, `/cases/${caseId}`);
    await casePage.selectOption('#owner', String(leadId));
    await casePage.getByRole('button', { name: 'Change the owner' }).click();
    await casePage.waitForURL(/saved=1/);
    await expect(casePage.locator('[data-case-owner]').textContent()).resolves.toBe('Lena Lead');
    await expect(casePage.locator('#owner').inputValue()).resolves.toBe(String(leadId));
    expect(await seriousAccessibilityViolations(casePage)).toEqual([]);
    await photograph(casePage, 'case-owner');

    // Its stage due in the past; one dispatcher run, as the overdue-notice tests run it.
    await database().db.update(schema.outlierCases).set({ dueOn: '2026-01-05' }).where(eq(schema.outlierCases.id, caseId));
    const dispatcher = createAlertDispatcher(database().db, { mail: null, baseDelayMs: 50, now: () => new Date('2026-01-12T12:00:00Z') });
    await dispatcher.deliverDue();

    const alerts = await open(lead, '/alerts');
    const notice = alerts.locator('[data-digest-kind="case_overdue"]');
    await expect(notice.count()).resolves.toBe(1);
    await expect(notice.textContent()).resolves.toContain(`Case ${caseId} overdue: ${finding.organisation.name}`);
    await expect(notice.textContent()).resolves.toContain('Owner: Lena Lead');
    expect(await seriousAccessibilityViolations(alerts)).toEqual([]);
    await photograph(alerts, 'alerts-overdue');
    await notice.getByRole('button', { name: /Mark as read/ }).click();
    await alerts.waitForURL(/saved=1/);
    await expect(alerts.locator('[data-digest-kind="case_overdue"]').getAttribute('data-unread')).resolves.toBe('false');
    // The reader, who neither owns nor follows it, has nothing.
    const readers = await open(reader, '/alerts');
    await expect(readers.locator('[data-digest]').count()).resolves.toBe(0);
    await Promise.all([casePage.close(), alerts.close(), readers.close()]);
  }, 300_000);

  it('follows a provider from its page and from /alerts, and stops again, with plain forms', async () => {
    const provider = await open(lead, `/providers/${finding.organisation.code}`);
    const follow = provider.locator(`[data-follow="provider:${finding.organisation.code}"]`);
    await follow.getByRole('button', { name: /^Follow/ }).click();
    await provider.waitForURL(/saved=1/);
    await provider.locator(`[data-follow="provider:${finding.organisation.code}"] [data-following]`).waitFor();
    await expect(provider.locator('[data-follow-answer]').getAttribute('data-follow-answer')).resolves.toBe('saved');
    await provider.locator('h1').scrollIntoViewIfNeeded();
    await photograph(provider, 'provider-following');

    const alerts = await open(lead, '/alerts');
    await expect(alerts.locator(`[data-subscription-code="${finding.organisation.code}"]`).count()).resolves.toBe(1);
    // E-mail is not set up here: the form says so rather than offering a box that cannot work.
    await expect(alerts.locator('[data-email-unavailable]').count()).resolves.toBe(1);
    await alerts.selectOption('#subscription-scope', 'network');
    await alerts.fill('#subscription-code', network);
    await alerts.fill('#subscription-webhook', 'https://hooks.example.org/lead');
    await alerts.getByRole('button', { name: 'Follow', exact: true }).click();
    await alerts.waitForURL(/saved=1/);
    await expect(alerts.locator('[data-webhook-secret]').textContent()).resolves.toMatch(/whsec_[A-Za-z0-9_-]{20,}/);
    await expect(alerts.locator(`[data-subscription-code="${network}"]`).textContent()).resolves.toContain('https://hooks.example.org/lead');
    expect(await seriousAccessibilityViolations(alerts)).toEqual([]);
    await photograph(alerts, 'alerts-following');
    // Shown once: a reload no longer shows the secret.
    await alerts.reload();
    await expect(alerts.locator('[data-webhook-secret]').count()).resolves.toBe(0);
    // Following the same network twice comes back with the refusal in words.
    await alerts.selectOption('#subscription-scope', 'network');
    await alerts.fill('#subscription-code', network);
    await alerts.getByRole('button', { name: 'Follow', exact: true }).click();
    await alerts.waitForURL(/error=conflict/);
    await expect(alerts.locator('[data-refused]').textContent()).resolves.toContain('You already follow that');
    for (const code of [network, finding.organisation.code]) {
      await alerts.locator(`[data-subscription-code="${code}"]`).getByRole('button', { name: /^Stop/ }).click();
      await alerts.waitForURL(/saved=1/);
    }
    await expect(alerts.locator('[data-subscription]').count()).resolves.toBe(0);
    const rows = await database().db.select().from(schema.alertSubscriptions).where(eq(schema.alertSubscriptions.userId, leadId));
    expect(rows).toEqual([]);

    const networkPage = await open(lead, `/networks/${network}`);
    await networkPage.locator(`[data-follow="network:${network}"] button`).waitFor();
    await photograph(networkPage, 'network-follow');
    const indicatorPage = await open(lead, `/indicators/${finding.indicator}`);
    await indicatorPage.locator(`[data-follow="indicator:${finding.indicator}"] button`).waitFor();
    await photograph(indicatorPage, 'indicator-follow');
    await Promise.all([provider.close(), alerts.close(), networkPage.close(), indicatorPage.close()]);
  }, 300_000);

  it('builds a peer set from nearest neighbours with the working shown, and one by hand; saves and deletes them; a viewer sees no controls', async () => {
    const expected = await getJson<{ peers: { code: string; distance: number }[]; attributes: { name: string }[] }>(app(), `/api/peers/nearest?of=${trust}&k=5&attributes=beds,case_mix_index&weights=2,1`);
    const page = await open(lead, '/peers');
    await page.fill('#peers-of', trust);
    await page.fill('#peers-k', '5');
    await page.check('#attribute-beds');
    await page.fill('#weight-beds', '2');
    await page.check('#attribute-case_mix_index');
    await page.getByRole('button', { name: 'Find peers' }).click();
    await page.waitForURL(/of=/);
    const peers = await page.locator('[data-nearest-peers] [data-peer]').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-peer')));
    expect(peers).toEqual(expected.peers.map((peer) => peer.code));
    const distances = await page.locator('[data-nearest-peers] [data-distance]').allTextContents();
    expect(distances.map(Number)).toEqual(expected.peers.map((peer) => Number(peer.distance.toFixed(3))));
    await expect(page.locator('[data-nearest-attributes] tbody tr').count()).resolves.toBe(2);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'peers-nearest');
    await page.fill('#nearest-name', `Like ${trust}`);
    await page.getByRole('button', { name: 'Save the peer set' }).click();
    await page.waitForURL(/saved=created/);
    const nearestSet = Number(/set=(\d+)/.exec(page.url())![1]);
    await expect(page.locator(`[data-opened-set="${nearestSet}"] li`).count()).resolves.toBe(5);

    // By hand: search, add two, remove one, add another, save.
    const [first, second, third] = expected.peers.slice(0, 3);
    for (const code of [first.code, second.code]) {
      await page.fill('#pick-search', code);
      await page.getByRole('button', { name: 'Find providers' }).click();
      await page.waitForURL(/q=/);
      await page.locator(`[data-add="${code}"]`).click();
      await page.waitForURL(new RegExp(`pick=${code}`));
    }
    await page.locator(`[data-remove="${first.code}"]`).click();
    await page.waitForURL((url) => !url.searchParams.getAll('pick').includes(first.code));
    await page.fill('#pick-search', third.code);
    await page.getByRole('button', { name: 'Find providers' }).click();
    await page.waitForURL(/q=/);
    await page.locator(`[data-add="${third.code}"]`).click();
    await page.waitForURL(new RegExp(`pick=${third.code}`));
    await expect(page.locator('[data-picked] li').evaluateAll((items) => items.map((item) => item.getAttribute('data-picked-code')))).resolves.toEqual([second.code, third.code]);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await photograph(page, 'peers-by-hand');
    await page.fill('#picked-name', 'Two by hand');
    await page.locator('[data-save-picked]').getByRole('button', { name: 'Save the peer set' }).click();
    await page.waitForURL(/saved=created/);
    const handSet = Number(/set=(\d+)/.exec(page.url())![1]);
    const saved = await getJson<{ members: { code: string }[] }>(app(), `/api/peers/sets/${handSet}`);
    expect(saved.members.map((member) => member.code).sort()).toEqual([second.code, third.code].sort());

    // The reader sees the sets, not the controls.
    const readers = await open(reader, `/peers?of=${trust}`);
    await expect(readers.locator(`[data-peer-set="${handSet}"]`).count()).resolves.toBe(1);
    await expect(readers.getByRole('button', { name: /Delete|Save the peer set/ }).count()).resolves.toBe(0);
    await photograph(readers, 'peers-viewer');

    for (const id of [handSet, nearestSet]) {
      await page.locator(`[data-peer-set="${id}"]`).getByRole('button', { name: /^Delete/ }).click();
      await page.waitForURL(/saved=1/);
      await expect(page.locator(`[data-peer-set="${id}"]`).count()).resolves.toBe(0);
    }
    const left = await getJson<{ sets: { id: number }[] }>(app(), '/api/peers/sets');
    expect(left.sets.map((set) => set.id)).not.toContain(handSet);
    expect(errors).toEqual([]);
    await Promise.all([page.close(), readers.close()]);
  }, 300_000);
});
