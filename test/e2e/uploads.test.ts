import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { inProcessJobQueue } from '../../api/jobs/in-process-queue';
import type { JobQueue } from '../../api/jobs/job-queue';
import { stagedFilesFor } from '../../api/routes/uploads/staged-files';
import { runUploadLoad } from '../../api/routes/uploads/upload-load';
import { runUploadPreview } from '../../api/routes/uploads/upload-preview';
import { createUploadEtl } from '../../etl/uploads/upload-etl';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { seriousAccessibilityViolations } from '../support/accessibility';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { describeDemoInBrowser } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { openPage, revisionOfLatestSlice, signedInContexts } from '../support/signed-in-browser';

/**
 * Uploading data in the dashboard, in Debian's Chromium, served as `npm start` serves it: an analyst drops a
 * file, sees it wait to be checked, reviews what it would change, confirms, sees its place in the queue and watches the load finish, and the provider's page shows the
 * new figure; a file with problems shows them and offers no confirmation; a viewer cannot upload.
 */
const screenshots = join(artefactsDir, 'e2e');
const target = { indicator: 'VA-READM30', organisation: 'RZB' };
const header = 'indicator_code,organisation_code,period,numerator,denominator';

describeDemoInBrowser('uploads in Chromium', ({ database }) => {
  const staging = temporaryFolder();
  let server: Server;
  let origin: string;
  // No worker takes previews or loads until the test has seen its upload wait in the queue for each.
  let jobs: JobQueue;
  let browser: Browser;
  let sessions: Record<'analyst' | 'viewer', BrowserContext>;
  /** The target's slice as the demo holds it, with the target's numerator changed to give 77.7 %. */
  let revision: string;
  let slice: { period: string; rows: number };
  const pageErrors: string[] = [];

  beforeAll(async () => {
    await ensureDashboardBuilt();
    const { db } = database();
    jobs = inProcessJobQueue();
    const app = createApp({ db, databaseKind: database().kind, uploadEtl: createUploadEtl(database()), jobs, config: { uploadDir: staging.folder } });
    server = createAtlasServer(app.fetch, await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    sessions = await signedInContexts(browser, db, origin, {
      analyst: { subject: 'analyst@example.nhs.uk', displayName: 'Ana Analyst', role: 'analyst' },
      viewer: { subject: 'viewer@example.nhs.uk', displayName: 'Vic Viewer', role: 'viewer' },
    });
    // Every row of the target's latest slice, so the file revises one figure and withdraws nothing.
    ({ csv: revision, ...slice } = await revisionOfLatestSlice(db, { ...target, numerator: 777, denominator: 1000 }));
    mkdirSync(screenshots, { recursive: true });
  }, 300_000);

  afterAll(async () => {
    await jobs?.stop();
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    staging.remove();
  });

  const open = (path: string, context: BrowserContext) => openPage(context, origin, path, pageErrors);
  const workerDeps = () => ({ db: database().db, etl: createUploadEtl(database()), files: stagedFilesFor(database().kind), uploadDir: staging.folder });

  /** Drops a file on the drop zone as a drag from the desktop would. */
  async function drop(page: Page, name: string, content: string) {
    const transfer = await page.evaluateHandle(([name, content]) => {
      const data = new DataTransfer();
      data.items.add(new File([content], name, { type: 'text/csv' }));
      return data;
    }, [name, content] as const);
    await page.locator('[data-drop-zone]').dispatchEvent('dragover', { dataTransfer: transfer });
    await page.locator('[data-drop-zone]').dispatchEvent('drop', { dataTransfer: transfer });
  }

  it('an analyst drops a file, reviews its changes, confirms, watches the load finish and sees the new figure', async () => {
    const page = await open('/uploads', sessions.analyst);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await drop(page, 'readmissions-revised.csv', revision);
    await expect(page.locator('[data-chosen]').textContent()).resolves.toContain('readmissions-revised.csv');
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/uploads\/[A-Za-z0-9_-]{22}$/);
    // Staged at once; its check waits in the queue until a worker takes it.
    const waiting = page.locator('[data-previewing]');
    await expect(waiting.getAttribute('data-position')).resolves.toBe('1');
    await expect(waiting.textContent()).resolves.toContain('Waiting to be checked: next in the queue');
    await expect(page.locator('[data-status]').textContent()).resolves.toBe('Checking');
    await expect(page.locator('[data-confirm]').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `upload-checking-${database().kind}.png`), fullPage: true });
    const wide = page.viewportSize();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(screenshots, `upload-checking-narrow-${database().kind}.png`), fullPage: true });
    if (wide) await page.setViewportSize(wide);
    // A worker starts taking previews: the page, polling, shows the preview when it is written.
    await jobs.work('upload-preview', 1, (job) => runUploadPreview(workerDeps(), job));
    const row = page.locator(`[data-slice="${target.indicator}|${slice.period}"]`);
    // The demo's preview (with the verdicts it would change) takes a while on a loaded machine.
    await row.waitFor({ timeout: 120_000 });
    const counts = Object.fromEntries(await Promise.all(['new', 'revised', 'unchanged', 'withdrawn'].map(async (kind) => [kind, (await row.locator(`[data-kind=${kind}]`).textContent())?.trim()])));
    expect(counts).toEqual({ new: '0', revised: '1', unchanged: String(slice.rows - 1), withdrawn: '0' });
    await expect(page.locator('[data-revised]').textContent()).resolves.toContain('numerator');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `upload-review-${database().kind}.png`), fullPage: true });

    await page.locator('[data-confirm]').click();
    const queued = page.locator('[data-load-queued]');
    await expect(queued.getAttribute('data-position')).resolves.toBe('1');
    await expect(queued.textContent()).resolves.toContain('next in the queue');
    await expect(page.locator('[data-status]').textContent()).resolves.toBe('Queued');
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.screenshot({ path: join(screenshots, `upload-queued-${database().kind}.png`), fullPage: true });
    const viewport = page.viewportSize();
    await page.setViewportSize({ width: 375, height: 812 });
    await page.screenshot({ path: join(screenshots, `upload-queued-narrow-${database().kind}.png`), fullPage: true });
    if (viewport) await page.setViewportSize(viewport);

    // A worker starts taking loads: the page, polling, follows the load to its end.
    await jobs.work('upload-load', 1, (job) => runUploadLoad(workerDeps(), job));
    await page.locator('[data-loaded]').waitFor({ timeout: 60_000 });
    await expect(page.locator('[data-status]').getAttribute('data-status')).resolves.toBe('loaded');
    await expect(page.locator('[data-affected] a').first().getAttribute('href')).resolves.toBe(`/indicators/${target.indicator}`);
    await expect(page.locator('[data-provenance]').getAttribute('href')).resolves.toBe(`/api/provenance?indicators=${target.indicator}`);
    await page.screenshot({ path: join(screenshots, `upload-loaded-${database().kind}.png`), fullPage: true });
    await page.close();

    const provider = await open(`/providers/${target.organisation}?view-spine=table`, sessions.analyst);
    const figure = provider.locator('[data-chart-frame=spine] tbody tr', { hasText: 'Emergency readmissions within 30 days' });
    await expect(figure.textContent()).resolves.toContain('77.7');
    await provider.close();
  }, 180_000);

  it('shows the row problems of a file with errors, in the ETL’s words, and offers no confirmation', async () => {
    const page = await open('/uploads', sessions.analyst);
    // Chosen with the labelled file input, as from the keyboard.
    await page.locator('#file').setInputFiles({ name: 'broken.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${target.indicator},ZZZ99,${slice.period},1,2\n${target.indicator},RZA,${slice.period},abc,2\n`) });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/uploads\/[A-Za-z0-9_-]{22}$/);
    // Checked by the worker; the page shows the problems once written.
    await page.locator('[data-status=rejected]').waitFor({ timeout: 120_000 });
    await expect(page.locator('[data-problem-row="2"]').textContent()).resolves.toContain('unknown organisation');
    await expect(page.locator('[data-problem-row="3"]').textContent()).resolves.toContain('not a number (write plain digits, with no thousands separators or symbols)');
    await expect(page.locator('[data-confirm]').count()).resolves.toBe(0);
    expect(await seriousAccessibilityViolations(page)).toEqual([]);
    await page.close();
  }, 120_000);

  it('works as a plain form without script: the upload lands on its review page', async () => {
    const cookies = await sessions.analyst.cookies();
    const withoutScript = await browser.newContext({ javaScriptEnabled: false });
    await withoutScript.addCookies(cookies);
    const page = await withoutScript.newPage();
    await page.goto(`${origin}/uploads`);
    await page.locator('#file').setInputFiles({ name: 'plain.csv', mimeType: 'text/csv', buffer: Buffer.from(`${header}\n${target.indicator},RZA,2001/02,1,2\n`) });
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.waitForURL(/\/uploads\/[A-Za-z0-9_-]{22}$/);
    await expect(page.locator('[data-slices] [data-totals] [data-kind=new]').textContent()).resolves.toContain('1');
    await withoutScript.close();
  }, 60_000);

  it('tells a viewer that uploading needs the analyst role, and the API refuses their upload', async () => {
    const page = await open('/uploads', sessions.viewer);
    await expect(page.locator('[data-upload-refused]').textContent()).resolves.toContain('analyst role');
    await expect(page.locator('[data-upload-form]').count()).resolves.toBe(0);
    const refused = await page.request.post(`${origin}/api/uploads?name=x.csv`, { headers: { 'content-type': 'text/csv', origin }, data: revision });
    expect(refused.status()).toBe(403);
    await page.close();
  }, 60_000);

  it('fits a narrow screen (375 px) without sideways scrolling', async () => {
    const narrow = await browser.newContext({ viewport: { width: 375, height: 800 } });
    await narrow.addCookies(await sessions.analyst.cookies());
    const page = await open('/uploads', narrow);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.locator('[data-uploads] a').first().click();
    await page.waitForURL(/\/uploads\/[A-Za-z0-9_-]{22}$/);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await narrow.close();
  }, 60_000);

  it('logged no console error on any page', () => {
    expect(pageErrors).toEqual([]);
  });
});
