import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { openPage, pagesScrollingSideways, revisionOfLatestSlice, signedInContexts } from '../support/signed-in-browser';

/**
 * The load history in the dashboard, in Debian's Chromium, served as `npm start` serves it: an analyst finds
 * a load that revised a provider's figure, sees what rolling it back would do, confirms, sees who rolled it back
 * and what it did, and the provider's page shows the earlier figure again; a viewer is told the history is not
 * theirs.
 */
const screenshots = join(artefactsDir, 'e2e');
const target = { indicator: 'VA-READM30', organisation: 'RZB', name: 'Emergency readmissions within 30 days' };

describeDemoInBrowser('the load history in Chromium', ({ database }) => {
  const files = temporaryFolder();
  let server: Server;
  let origin: string;
  let browser: Browser;
  let sessions: Record<'analyst' | 'viewer', BrowserContext>;
  /** The revision's batch and the size of the slice it revised (every row of it, one figure changed). */
  let revision: { batchId: number; rows: number };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const { db } = database();
    const app = createApp({ db, databaseKind: database().kind, batchEtl: createBatchEtl(database()) });
    server = createAtlasServer(app.fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    sessions = await signedInContexts(browser, db, origin, {
      analyst: { subject: 'analyst@example.nhs.uk', displayName: 'Ana Analyst', role: 'analyst' },
      viewer: { subject: 'viewer@example.nhs.uk', displayName: 'Vic Viewer', role: 'viewer' },
    });
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    files.remove();
  });

  const open = (path: string, context: BrowserContext) => openPage(context, origin, path, pageErrors);

  /** The target's row of the provider page's spine table, as text. */
  async function providerFigure(): Promise<string> {
    const provider = await open(`/providers/${target.organisation}?view-spine=table`, sessions.analyst);
    const text = (await provider.locator('[data-chart-frame=spine] tbody tr', { hasText: target.name }).textContent()) ?? '';
    await provider.close();
    return text;
  }

  /** Loads, as an analyst would with the ETL, every row of the target's latest slice with its figure changed to 77.7 %. */
  async function loadRevision() {
    const { csv, rows } = await revisionOfLatestSlice(database().db, { ...target, numerator: 777, denominator: 1000 });
    const path = files.write('readmissions-revised.csv', csv);
    const result = await loadObservations(database(), await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk' });
    return { batchId: result.batchId, rows };
  }

  it('an analyst opens the history, a load, confirms its rollback, sees the result and the earlier figure back', async () => {
    const before = await providerFigure();
    expect(before).not.toContain('77.7');
    revision = await loadRevision();
    expect(await providerFigure()).toContain('77.7');

    const page = await open('/loads', sessions.analyst);
    await expect(page.getByRole('link', { name: 'Loads', exact: true }).getAttribute('aria-current')).resolves.toBe('page');
    const row = page.locator(`[data-batch="${revision.batchId}"]`);
    await expect(row.textContent()).resolves.toContain('readmissions-revised.csv');
    await expect(row.textContent()).resolves.toContain('Loaded');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `loads-${database().kind}.png`), fullPage: true });

    await row.getByRole('link', { name: `Batch ${revision.batchId}` }).click();
    await page.waitForURL(new RegExp(`/loads/${revision.batchId}$`));
    // The file revised every row of one slice: those rows go, and the rows they replaced come back.
    await expect(page.locator('[data-removes]').getAttribute('data-removes')).resolves.toBe(String(revision.rows));
    await expect(page.locator('[data-restores]').getAttribute('data-restores')).resolves.toBe(String(revision.rows));
    expect(await seriousAccessibilityViolations(page)).toEqual([]);

    await page.locator('[data-start-rollback]').click();
    await page.locator('[data-confirm-rollback]').waitFor();
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `loads-confirm-${database().kind}.png`), fullPage: true });
    await page.getByRole('button', { name: 'Yes, roll back this load' }).click();
    await page.locator('[data-rolled-back]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-status]').getAttribute('data-status')).resolves.toBe('rolled_back');
    await expect(page.locator('[data-rolled-back]').textContent()).resolves.toContain(`By analyst@example.nhs.uk`);
    await expect(page.locator('[data-rolled-back]').textContent()).resolves.toContain(`${revision.rows} rows removed, ${revision.rows} earlier rows restored`);
    await expect(page.locator('[data-start-rollback]').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `loads-rolled-back-${database().kind}.png`), fullPage: true });
    await page.close();

    expect(await providerFigure()).toBe(before);
  }, 180_000);

  it('says why a load that a later one revised cannot be rolled back, and offers no button', async () => {
    const later = await loadRevision();
    // The demo's load that held the revised slice: the revision now stands in its way.
    const [earlier] = await database()
      .db.selectDistinct({ id: schema.observationRevisions.loadBatchId })
      .from(schema.observationRevisions)
      .where(eq(schema.observationRevisions.supersededByBatchId, later.batchId));
    const page = await open(`/loads/${earlier.id}`, sessions.analyst);
    const refusal = await page.locator('[data-rollback-refusal]').textContent();
    expect(refusal).toContain(`was revised by batch ${later.batchId}; roll back batch ${later.batchId} first`);
    await expect(page.locator('[data-start-rollback]').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('tells a viewer that the load history needs the analyst role, and shows no Loads link', async () => {
    const page = await open('/loads', sessions.viewer);
    await expect(page.locator('[data-loads-refused]').textContent()).resolves.toContain('analyst role');
    await expect(page.getByRole('link', { name: 'Loads', exact: true }).count()).resolves.toBe(0);
    const refused = await page.request.post(`${origin}/api/batches/1/rollback`, { headers: { 'content-type': 'application/json', origin } });
    expect(refused.status()).toBe(403);
    await page.close();
  }, 60_000);

  it('fits a narrow screen (375 px) without sideways scrolling', async () => {
    const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await narrow.addCookies(await sessions.analyst.cookies());
    expect(await pagesScrollingSideways(narrow, origin, ['/loads', `/loads/${revision?.batchId ?? 1}`, `/loads/${revision?.batchId ?? 1}?confirm`], pageErrors)).toEqual([]);
    await narrow.close();
  }, 60_000);

  it('logged no console error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
