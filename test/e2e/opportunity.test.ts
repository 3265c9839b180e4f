import { join } from 'node:path';
import { expect, it } from 'vitest';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir } from '../support/browser';
import { describeDemoInBrowser, getJson } from '../support/demo-api';
import { servedDashboard } from '../support/served-dashboard';
import { signedInContexts } from '../support/signed-in-browser';

/**
 * The network page says what its variation is worth (issue 18): the opportunity section lists the indicators in
 * the order of the API's network totals, with the totals it gives, redraws for another benchmark, offers the
 * CSV, and has no serious accessibility violation; a lead picks a member's most similar providers as the benchmark
 * and sees who they are and how far. Photographed at desktop and phone sizes into artefacts/e2e.
 */
const network = 'KB-CVD-SCN';

describeDemoInBrowser('opportunity sizing on the network page', ({ app, database }) => {
  const served = servedDashboard(() => app().fetch);

  it.each([
    ['desktop', 1440, 900],
    ['phone', 375, 812],
  ])('%s (%i × %i): ranks the indicators by the network totals the API gives, and changes with the benchmark', async (name, width, height) => {
    const page = await served.browser().newPage({ viewport: { width, height } });
    await page.goto(`${served.origin()}/networks/${network}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const section = page.locator('[data-opportunity]');
    await section.locator('[data-opportunity-table]').waitFor({ timeout: 60_000 });
    for (const [benchmark, label] of [
      ['pooled', 'pooled'],
      ['upper-quartile', 'upper-quartile'],
    ] as const) {
      if (benchmark !== 'pooled') {
        await section.locator('[data-opportunity-benchmark]').selectOption(benchmark);
        await expect.poll(() => section.locator('a[download]').getAttribute('href'), { timeout: 30_000 }).toContain(`benchmark=${label}`);
      }
      const api = await getJson(app(), `/api/opportunity?network=${network}&benchmark=${benchmark}`);
      const expected = api.indicators.filter((entry: { available: boolean }) => entry.available).map((entry: { code: string; total: { opportunity: number } }) => [entry.code, entry.total.opportunity]);
      await expect
        .poll(() => section.locator('[data-opportunity-indicator]').evaluateAll((rows) => rows.map((row) => [row.getAttribute('data-opportunity-indicator'), Number(row.querySelector('[data-opportunity-total]')!.getAttribute('data-opportunity-total'))])), { timeout: 30_000 })
        .toEqual(expected);
    }
    await section.locator('[data-opportunity-benchmark]').selectOption('pooled');
    await section.locator('[data-opportunity-table]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await section.scrollIntoViewIfNeeded();
    await page.evaluate(() => document.querySelector('[data-opportunity]')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(artefactsDir, 'e2e', `network-opportunity-${name}.png`) });
    await page.close();
  }, 240_000);

  it('picks the peers of a member as the benchmark, and says who they are and how far', async () => {
    const page = await served.browser().newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(`${served.origin()}/networks/${network}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const section = page.locator('[data-opportunity]');
    await section.locator('[data-opportunity-table]').waitFor({ timeout: 60_000 });
    await section.locator('[data-opportunity-benchmark]').selectOption('nearest');
    await section.locator('[data-opportunity-peers-of]').selectOption('RZG');
    const peers = section.locator('[data-opportunity-peers]');
    await peers.waitFor({ timeout: 60_000 });
    const nearest = await getJson(app(), '/api/peers/nearest?of=RZG&k=10');
    await expect.poll(() => peers.locator('[data-peer]').evaluateAll((items) => items.map((item) => item.getAttribute('data-peer'))), { timeout: 30_000 }).toEqual(nearest.peers.map((peer: { code: string }) => peer.code));
    await expect(section.locator('a[download]').getAttribute('href')).resolves.toContain('peersOf=RZG');
    await peers.locator('summary').click();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.evaluate(() => document.querySelector('[data-opportunity]')!.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: join(artefactsDir, 'e2e', 'network-opportunity-peers-desktop.png') });
    await page.close();
  }, 240_000);

  it('lets an analyst save those peers as a set, which then serves as the benchmark', async () => {
    const { analyst } = await signedInContexts(served.browser(), database().db, served.origin(), { analyst: { subject: 'lead@example.nhs.uk', displayName: 'Lena Lead', role: 'analyst' } });
    const page = await analyst.newPage();
    await page.goto(`${served.origin()}/networks/${network}`, { waitUntil: 'domcontentloaded', timeout: 90_000 });
    const section = page.locator('[data-opportunity]');
    await section.locator('[data-opportunity-table]').waitFor({ timeout: 60_000 });
    await section.locator('[data-opportunity-benchmark]').selectOption('nearest');
    await section.locator('[data-opportunity-peers-of]').selectOption('RZG');
    const peers = section.locator('[data-opportunity-peers]');
    await peers.waitFor({ timeout: 60_000 });
    await peers.locator('summary').click();
    await peers.locator('#peer-set-name').fill('Most like RZG');
    await peers.locator('[data-save-peers] button').click();
    await expect(section.locator('[data-saved-peers=true]').textContent({ timeout: 30_000 })).resolves.toContain('Most like RZG');
    await peers.locator('[data-save-peers]').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(artefactsDir, 'e2e', 'network-opportunity-save-peers-desktop.png') });
    const sets = await getJson(app(), '/api/peers/sets');
    const saved = sets.sets.find((set: { name: string }) => set.name === 'Most like RZG');
    const members = (await getJson(app(), `/api/peers/sets/${saved.id}`)).members.map((member: { code: string }) => member.code);
    const nearest = await getJson(app(), '/api/peers/nearest?of=RZG&k=10');
    expect(members).toEqual(nearest.peers.map((peer: { code: string }) => peer.code).sort());
    await section.locator('[data-opportunity-benchmark]').selectOption('peers');
    await expect.poll(() => section.locator('a[download]').getAttribute('href'), { timeout: 30_000 }).toContain(`peers=${saved.id}`);
    await section.locator('[data-opportunity-table]').waitFor({ timeout: 60_000 });
    await analyst.close();
  }, 240_000);
});
