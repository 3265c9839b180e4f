import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { openPage, revisionOfLatestSlice, signedInContexts } from '../support/signed-in-browser';

/**
 * What changed since the last load, in Debian's Chromium over the demo: a lead follows the cardiovascular SCN, a
 * revision makes RZB's readmissions worse than expected, and the home page leads with it while the lead's inbox
 * holds one digest naming RZB and the change. Screenshots at 1440 × 900 and 375 × 812.
 */
const screenshots = join(artefactsDir, 'e2e');

describeDemoInBrowser('what changed since the last load, in Chromium', ({ database }) => {
  const files = temporaryFolder();
  let server: Server;
  let origin: string;
  let browser: Browser;
  let lead: BrowserContext;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const { db } = database();
    const app = createApp({ db, databaseKind: database().kind, batchEtl: createBatchEtl(database()) });
    server = createAtlasServer(app.fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    ({ lead } = await signedInContexts(browser, db, origin, { lead: { subject: 'lead@example.nhs.uk', displayName: 'Lee Lead', role: 'viewer' } }));
    const subscribed = await lead.request.post(`${origin}/api/alerts/subscriptions`, { data: { scope: 'provider', code: 'RZB' }, headers: { origin } });
    expect(subscribed.status()).toBe(201);
    const revision = await revisionOfLatestSlice(db, { indicator: 'VA-READM30', organisation: 'RZB', numerator: 900, denominator: 2000 });
    const path = files.write('readmissions-revised.csv', revision.csv);
    const loaded = await loadObservations(database(), await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk' });
    expect(loaded.verdictChanges.map((change) => change.organisation.code)).toContain('RZB');
    mkdirSync(screenshots, { recursive: true });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    files.remove();
  });

  for (const [width, height] of [
    [1440, 900],
    [375, 812],
  ] as const) {
    it(`the home page leads with what changed, and the inbox holds the digest (${width} × ${height})`, async () => {
      await lead.pages().at(0)?.setViewportSize({ width, height });
      const home = await openPage(lead, origin, '/', pageErrors);
      await home.setViewportSize({ width, height });
      const section = home.locator('[data-what-changed]');
      await section.locator('[data-change]').first().waitFor();
      const text = await section.innerText();
      expect(text).toContain('What changed since the last load');
      expect(text).toMatch(/RZB\) on Emergency readmissions within 30 days in .*: now above the 99\.8 % limit, worse than expected after revised figures/);
      expect(await home.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await section.screenshot({ path: join(screenshots, `what-changed-home-${width}-${database().kind}.png`) });
      expect(await seriousAccessibilityViolations(home)).toEqual([]);
      await home.close();

      const alerts = await openPage(lead, origin, '/alerts', pageErrors);
      await alerts.setViewportSize({ width, height });
      const digest = alerts.locator('[data-digest]');
      await digest.first().waitFor();
      expect(await digest.count()).toBe(1);
      expect(await digest.first().innerText()).toContain('RZB');
      expect(await alerts.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await alerts.screenshot({ path: join(screenshots, `what-changed-inbox-${width}-${database().kind}.png`), fullPage: true });
      expect(await seriousAccessibilityViolations(alerts)).toEqual([]);
      await alerts.close();
      expect(pageErrors).toEqual([]);
    });
  }
});
