import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { eq, getTableColumns } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app';
import { createSession } from '../../api/auth/sessions.queries';
import { createApiToken } from '../../api/auth/tokens.queries';
import { inProcessJobQueue } from '../../api/jobs/in-process-queue';
import { takeJobs } from '../../api/jobs/job-workers';
import type { ApiConfig } from '../../api/context';
import { stagedFilesFor } from '../../api/routes/uploads/staged-files';
import { openStagingArea, stagingArea } from '../../api/routes/uploads/staging';
import { recoverUploads } from '../../api/routes/uploads/uploads.queries';
import type { UploadEtl } from '../../api/upload-etl';
import { schema } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { LoadRejectedError } from '../../etl/problems';
import { openObservationSource } from '../../etl/sources/open-source';
import { createUploadEtl } from '../../etl/uploads/upload-etl';
import { createTestDatabase, describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';
import { stackTracePattern } from '../support/raw-observations';

/**
 * Uploads with review: a file staged through the API is previewed with the loader's own checks and
 * comparison with the current figures, and loaded only when its uploader confirms, in one transaction. Without
 * these tests the preview could drift from what `npm run etl -- observations` does, a stale or refused load
 * could slip through, and a failed one could leave half a file behind or nothing in the audit trail.
 */
const header = 'indicator_code,organisation_code,period,numerator,denominator,observed,expected,value,value_lower,value_upper';
const csv = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

/** The figures the database holds before any upload: two slices of 2024/25 Q1 and one the uploads never touch. */
const baseline = csv(
  'READMIT,RZA,2024/25 Q1,10,100,,,,,',
  'READMIT,RZB,2024/25 Q1,20,200,,,,,',
  'READMIT,RZC,2024/25 Q1,30,300,,,,,',
  'SHMI,RZA,2024/25 Q1,,,50,45,,,',
  'SHMI,RZB,2024/25 Q1,,,60,55,,,',
  'CDIFF,RZA,2024/25 Q1,3,10000,,,,,',
);

/** Against the baseline: each kind of change, in three slices (one of them a period the database lacks). */
const revision = csv(
  'READMIT,RZA,2024/25 Q1,10,100,,,,,',
  'READMIT,RZB,2024/25 Q1,25,200,,,,,',
  'SHMI,RZA,2024/25 Q1,,,52,45,,,',
  'SHMI,RZB,2024/25 Q1,,,60,55,,,',
  'SHMI,RZC,2024/25 Q1,,,40,41,,,',
  'READMIT,RZA,2024/25 Q2,11,100,,,,,',
  'READMIT,RZB,2024/25 Q2,12,100,,,,,',
);

const malformed = csv(
  'READMIT,RZA,2019/20 Q1,10,100,,,,,',
  'READMIT,RZQ,2019/20 Q1,1,2,,,,,',
  'READMIT,RZB,2019/20 Q1,abc,2,,,,,',
  'READMIT,RZC,Spring,21,20,,,,,',
  'READMIT,RZA,2019/20  Q1,3,4,,,,,',
);

/** What PostgreSQL's jsonb cannot hold or should not show: C0 controls but tab, LF and CR, DEL, and halves of surrogate pairs alone. */
const unstorable = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const stringsOf = (value: unknown): string[] =>
  typeof value === 'string' ? [value] : value !== null && typeof value === 'object' ? Object.entries(value).flatMap(([key, inner]) => [key, ...stringsOf(inner)]) : [];

type Person = 'viewer' | 'analyst' | 'otherAnalyst' | 'admin';

async function seedReference(handle: TestDatabase, files: ReturnType<typeof temporaryFolder>) {
  await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
  await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']));
  await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
  await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
  const path = files.write('baseline.csv', baseline);
  await loadObservations(handle, await openObservationSource(path), path, { loadedBy: 'seed' });
}

async function seedPeople(handle: TestDatabase) {
  const people = await handle.db
    .insert(schema.users)
    .values([
      { subject: 'viewer@example.nhs.uk', role: 'viewer' as const },
      { subject: 'analyst@example.nhs.uk', role: 'analyst' as const },
      { subject: 'other@example.nhs.uk', role: 'analyst' as const },
      { subject: 'admin@example.nhs.uk', role: 'admin' as const },
    ])
    .returning();
  const token = async (index: number) => (await createApiToken(handle.db, { userId: people[index].id, scopes: ['read', 'write'], days: 1 })).token;
  return { viewer: await token(0), analyst: await token(1), otherAnalyst: await token(2), admin: await token(3), analystId: people[1].id } satisfies Record<Person, string> & { analystId: number };
}

describeDatabase('uploads with review', (getDatabase) => {
  const files = temporaryFolder();
  const staging = temporaryFolder();
  let tokens: Record<Person, string> & { analystId: number };
  let etl: UploadEtl;
  afterAll(() => {
    files.remove();
    staging.remove();
  });

  beforeAll(async () => {
    await seedReference(getDatabase(), files);
    tokens = await seedPeople(getDatabase());
    etl = createUploadEtl(getDatabase());
  });

  // This file uploads more than the deployment's 20 in 10 minutes per user; the limit has its own test below.
  const app = (config: Partial<ApiConfig> = {}, uploadEtl = etl) =>
    createApp({
      db: getDatabase().db,
      databaseKind: getDatabase().kind,
      uploadEtl,
      config: { uploadDir: staging.folder, uploadRateLimit: { limit: 1_000, windowMs: 600_000 }, ...config },
    });
  const upload = (who: Person | undefined, name: string, content: string, target = app()) =>
    target.request(`/api/uploads?name=${encodeURIComponent(name)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv', ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) },
      body: content,
    });
  const call = (who: Person, method: string, path: string, target = app()) =>
    target.request(path, { method, headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json' } });

  async function expectError(response: Response, status: number, code: string) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(JSON.parse(text).error.code).toBe(code);
    expect(text).not.toMatch(stackTracePattern);
    expect(text).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i);
    return response;
  }

  /** The upload once its preview job has written its preview (or failed). */
  async function previewed(id: string, who: Person = 'analyst', target = app()) {
    for (let attempt = 0; attempt < 400; attempt++) {
      const view = await (await call(who, 'GET', `/api/uploads/${id}`, target)).json();
      if (view.status !== 'previewing') return view;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`upload ${id} was not previewed`);
  }

  /** Uploads a file (202: its preview queued) and waits for its preview. */
  async function staged(name: string, content: string, who: Person = 'analyst') {
    const response = await upload(who, name, content);
    expect(response.status, await response.clone().text()).toBe(202);
    return previewed((await response.json()).id, who);
  }

  async function finished(id: string, who: Person = 'analyst') {
    for (let attempt = 0; attempt < 200; attempt++) {
      const view = await (await call(who, 'GET', `/api/uploads/${id}`)).json();
      if (view.status !== 'loading') return view;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`upload ${id} did not finish`);
  }

  const rowOf = async (id: string) => (await getDatabase().db.select().from(schema.uploads).where(eq(schema.uploads.id, id)))[0];
  const statusOf = async (id: string) => (await rowOf(id)).status;
  /** PostgreSQL keeps a staged file in the database for every replica; the embedded default keeps it on disk. */
  const sharedStaging = () => getDatabase().kind === 'postgres';
  const chunksOf = (id: string) => getDatabase().db.select().from(schema.uploadChunks).where(eq(schema.uploadChunks.uploadId, id));
  /** Whether the upload's staged file is still kept, wherever it is kept. */
  const isKept = async (id: string) => (sharedStaging() ? (await chunksOf(id)).length > 0 : existsSync((await rowOf(id)).storedPath));
  /** The staged file changed behind the API's back. */
  async function editStaged(id: string, content: string) {
    if (!sharedStaging()) return writeFileSync((await rowOf(id)).storedPath, content);
    await getDatabase().db.update(schema.uploadChunks).set({ bytes: Buffer.from(content) }).where(eq(schema.uploadChunks.uploadId, id));
  }

  it('previews exactly which rows are new, revised, unchanged and withdrawn in each indicator and period', async () => {
    const view = await staged('revision.csv', revision);
    expect(view).toMatchObject({ status: 'validated', fileName: 'revision.csv', format: 'generic' });
    expect(view.preview).toMatchObject({ rows: 7, validRows: 7, problemCount: 0, problems: [], alreadyLoadedBatchId: null });
    expect(view.preview.slices.map(({ indicatorId, ...slice }: { indicatorId: number }) => slice)).toEqual([
      { indicator: 'READMIT', period: '2024/25 Q1', new: 0, revised: 1, unchanged: 1, withdrawn: 1 },
      { indicator: 'READMIT', period: '2024/25 Q2', new: 2, revised: 0, unchanged: 0, withdrawn: 0 },
      { indicator: 'SHMI', period: '2024/25 Q1', new: 1, revised: 1, unchanged: 1, withdrawn: 0 },
    ]);
    expect(view.preview.totals).toEqual({ new: 3, revised: 2, unchanged: 2, withdrawn: 1 });
    expect(view.preview.revisedSamples).toEqual([
      expect.objectContaining({ row: 3, indicator: 'READMIT', organisation: 'RZB', before: expect.objectContaining({ numerator: 20, denominator: 200 }), after: expect.objectContaining({ numerator: 25, denominator: 200 }) }),
      expect.objectContaining({ row: 4, indicator: 'SHMI', organisation: 'RZA', before: expect.objectContaining({ observed: 50 }), after: expect.objectContaining({ observed: 52 }) }),
    ]);
    expect(JSON.stringify(view)).not.toContain(staging.folder);
  });

  it('says a file is already loaded when its checksum matches a loaded batch', async () => {
    const view = await staged('baseline.csv', baseline);
    expect(view.preview.alreadyLoadedBatchId).toEqual(expect.any(Number));
    expect(view.preview.totals).toEqual({ new: 0, revised: 0, unchanged: 6, withdrawn: 0 });
    expect((await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`)).status).toBe(202);
    expect(await finished(view.id)).toMatchObject({ status: 'loaded', result: { batchId: view.preview.alreadyLoadedBatchId, unchanged: true, supersededRows: 0 } });
  });

  it("reports a malformed file's problems row for row as the ETL's load refuses it, and will not load it", async () => {
    for (const [name, content] of [
      ['malformed.csv', malformed],
      ['misspelt.csv', 'indicator_code,organisaton_code,period,numerator,denominator\nREADMIT,RZA,2024/25 Q1,1,2\n'],
      ['ragged.csv', csv('READMIT,RZQ,2019/20 Q1,1,2,,,,,', 'READMIT,RZB,2019/20 Q1,1,2,,,,,,extra')],
    ]) {
      const path = files.write(name, content);
      const refusal = await (async () => loadObservations(getDatabase(), await openObservationSource(path), path))().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(LoadRejectedError);
      const view = await staged(name, content);
      expect(view.status).toBe('rejected');
      expect(view.preview.problems).toEqual((refusal as LoadRejectedError).problems);
      expect(view.preview.problemCount).toBe((refusal as LoadRejectedError).problemCount);
      await expectError(await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`), 409, 'upload_rejected');
    }
  });

  it('loads a confirmed upload exactly as the ETL loads the same file into a twin database', async () => {
    const twins = [await createTestDatabase(), await createTestDatabase()];
    const folders = [temporaryFolder(), temporaryFolder()];
    try {
      for (const [index, twin] of twins.entries()) await seedReference(twin, folders[index]);
      const people = await seedPeople(twins[0]);
      await twins[1].db.insert(schema.users).values({ subject: 'analyst@example.nhs.uk', role: 'analyst' });
      const twinApp = createApp({ db: twins[0].db, databaseKind: twins[0].kind, uploadEtl: createUploadEtl(twins[0]), config: { uploadDir: staging.folder } });
      const response = await twinApp.request('/api/uploads?name=revision.csv', { method: 'POST', headers: { authorization: `Bearer ${people.analyst}`, 'content-type': 'text/csv' }, body: revision });
      const { id } = await response.json();
      // Confirmed once its preview is written.
      for (let attempt = 0; attempt < 200; attempt++) {
        const previewing = await (await twinApp.request(`/api/uploads/${id}`, { headers: { authorization: `Bearer ${people.analyst}` } })).json();
        if (previewing.status !== 'previewing') break;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      const confirm = await twinApp.request(`/api/uploads/${id}/confirm`, { method: 'POST', headers: { authorization: `Bearer ${people.analyst}`, 'content-type': 'application/json' } });
      expect(confirm.status).toBe(202);
      let view = await confirm.json();
      for (let attempt = 0; attempt < 200 && view.status === 'loading'; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        view = await (await twinApp.request(`/api/uploads/${id}`, { headers: { authorization: `Bearer ${people.analyst}` } })).json();
      }
      expect(view).toMatchObject({ status: 'loaded', progress: { done: 14, total: 14 }, result: { rows: 7, unchanged: false, supersededRows: 5, supersededBatchIds: [] } });

      const path = folders[1].write('revision.csv', revision);
      await loadObservations(twins[1], await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk' });
      // Load and revision times differ between the twins, and only the upload has its own audit row.
      const comparable = async (twin: TestDatabase) => {
        const { load_batches: _batches, observation_revisions: _revisions, audit_events: _audit, ...rest } = await databaseFingerprint(twin.db);
        const { id: _id, supersededAt: _at, ...revisionColumns } = getTableColumns(schema.observationRevisions);
        const revisions = await twin.db.select(revisionColumns).from(schema.observationRevisions).orderBy(schema.observationRevisions.indicatorId, schema.observationRevisions.organisationId, schema.observationRevisions.periodId);
        const batches = await twin.db.select({ fileName: schema.loadBatches.fileName, checksum: schema.loadBatches.checksum, rowCount: schema.loadBatches.rowCount, status: schema.loadBatches.status, loadedBy: schema.loadBatches.loadedBy }).from(schema.loadBatches).orderBy(schema.loadBatches.id);
        const loads = await twin.db.select({ actor: schema.auditEvents.actor, details: schema.auditEvents.details }).from(schema.auditEvents).where(eq(schema.auditEvents.action, 'load')).orderBy(schema.auditEvents.id);
        return { rest, revisions, batches, loads };
      };
      expect(await comparable(twins[0])).toEqual(await comparable(twins[1]));
    } finally {
      await Promise.all(twins.map((twin) => twin.close()));
      folders.forEach((folder) => folder.remove());
    }
  }, 60_000);

  it('lets only analysts and admins upload, and shows an upload only to its uploader and admins', async () => {
    await expectError(await upload(undefined, 'a.csv', revision), 401, 'unauthenticated');
    await expectError(await upload('viewer', 'a.csv', revision), 403, 'forbidden');
    await expectError(await call('viewer', 'GET', '/api/uploads'), 403, 'forbidden');
    const view = await staged('mine.csv', csv('LOS,RZA,2018/19,,,,,4.2,3.9,4.5'));
    const unknown = await expectError(await call('otherAnalyst', 'GET', '/api/uploads/AAAAAAAAAAAAAAAAAAAAAA'), 404, 'not_found');
    expect(unknown.status).toBe(404);
    await expectError(await call('otherAnalyst', 'GET', `/api/uploads/${view.id}`), 404, 'not_found');
    await expectError(await call('otherAnalyst', 'POST', `/api/uploads/${view.id}/confirm`), 404, 'not_found');
    await expectError(await call('otherAnalyst', 'DELETE', `/api/uploads/${view.id}`), 404, 'not_found');
    expect((await (await call('otherAnalyst', 'GET', '/api/uploads')).json()).uploads.map((entry: { id: string }) => entry.id)).not.toContain(view.id);
    expect((await call('admin', 'GET', `/api/uploads/${view.id}`)).status).toBe(200);
    expect((await (await call('admin', 'GET', '/api/uploads')).json()).uploads.map((entry: { id: string }) => entry.id)).toContain(view.id);
    expect((await (await call('analyst', 'GET', '/api/uploads')).json()).uploads[0]).toMatchObject({ id: view.id, status: 'validated', rows: 1, problemCount: 0 });
    await expectError(await call('analyst', 'GET', '/api/uploads/not-an-id'), 400, 'invalid_parameter');
  });

  it('takes the dashboard form: multipart from a signed-in browser, and a plain form post lands on the review page', async () => {
    const { secret } = await createSession(getDatabase().db, tokens.analystId);
    const form = new FormData();
    form.set('format', 'shmi');
    form.set('period', '2017/18');
    form.set('file', new Blob(['provider_code,observed,expected\nRZA,10,9.5\nRZB,12,11\n']), 'shmi-2017.csv');
    const response = await app().request('/api/uploads', { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'http://localhost', 'sec-fetch-mode': 'navigate' }, body: form });
    expect(response.status).toBe(303);
    const id = response.headers.get('location')!.replace('/uploads/', '');
    const view = await previewed(id);
    expect(view).toMatchObject({ status: 'validated', format: 'shmi', fileName: 'shmi-2017.csv', options: { format: 'shmi', period: '2017/18' } });
    expect(view.preview.totals).toEqual({ new: 2, revised: 0, unchanged: 0, withdrawn: 0 });
    // A plain form's refusal goes back to the upload page with its code, not to a JSON body.
    const empty = new FormData();
    empty.set('file', new Blob([]), '');
    const refused = await app().request('/api/uploads', { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'http://localhost', 'sec-fetch-mode': 'navigate' }, body: empty });
    expect([refused.status, refused.headers.get('location')]).toEqual([303, '/uploads?error=invalid_parameter']);
    // The review page's buttons are forms too: a refused confirmation goes back to the review page, a discard to the list.
    const rejected = await staged('rejected.csv', malformed);
    const post = (path: string) => app().request(path, { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'http://localhost', 'sec-fetch-mode': 'navigate' } });
    const confirm = await post(`/api/uploads/${rejected.id}/confirm`);
    expect([confirm.status, confirm.headers.get('location')]).toEqual([303, `/uploads/${rejected.id}?error=upload_rejected`]);
    const discard = await post(`/api/uploads/${rejected.id}/discard`);
    expect([discard.status, discard.headers.get('location')]).toEqual([303, '/uploads']);
    expect((await (await call('analyst', 'GET', `/api/uploads/${rejected.id}`)).json()).status).toBe('discarded');
    // A form from another site is refused before anything is staged.
    await expectError(await app().request('/api/uploads', { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'https://elsewhere.example' }, body: form }), 403, 'cross_site_request');
  });

  it('caps uploads at their own size (413) while every other route keeps the 1 MiB limit', async () => {
    const capped = app({ uploadMaxBytes: 2 * 1024 * 1024 });
    // Over the API's 1 MiB, under this cap; its header alone refuses it, so the preview is quick.
    const large = 'x,y\n'.repeat(384 * 1024);
    expect((await upload('analyst', 'large.csv', large, capped)).status).toBe(202);
    await expectError(await upload('analyst', 'huge.csv', `${large}${large}x`, capped), 413, 'payload_too_large');
    // One field as long as the file: its problem is shown shortened, so no preview swells to the file's size.
    const field = await upload('analyst', 'one-field.csv', 'z'.repeat(300_000), capped);
    const text = JSON.stringify(await previewed((await field.json()).id));
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain(`${'z'.repeat(199)}…`);
    const token = await capped.request('/api/tokens', { method: 'POST', headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: ['read'], name: large }) });
    await expectError(token, 413, 'payload_too_large');
  });

  it('limits uploads per user (429 with Retry-After)', async () => {
    // A fixed clock: a window boundary crossed between the uploads would let the third through (sliding window).
    const limited = app({ uploadRateLimit: { limit: 2, windowMs: 60_000, now: () => 30_000 } });
    const sent: Response[] = [];
    for (let i = 0; i < 2; i++) sent.push(await upload('analyst', 'r.csv', revision, limited));
    const refused = await expectError(await upload('analyst', 'r.csv', revision, limited), 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    sent.push(await upload('otherAnalyst', 'r.csv', revision, limited));
    expect(sent.map((response) => response.status)).toEqual([202, 202, 202]);
    // Their previews finish here rather than under the next test.
    for (const [index, response] of sent.entries()) expect((await previewed((await response.json()).id, index < 2 ? 'analyst' : 'otherAnalyst')).status).toBe('validated');
  });

  it('refuses a second confirmation and a stale preview (409), and discards an upload with its staged file', async () => {
    const once = await staged('once.csv', csv('READMIT,RZA,2016/17,5,50,,,,,'));
    expect((await call('analyst', 'POST', `/api/uploads/${once.id}/confirm`)).status).toBe(202);
    await expectError(await call('analyst', 'POST', `/api/uploads/${once.id}/confirm`), 409, 'upload_not_pending');
    expect((await finished(once.id)).status).toBe('loaded');
    await expectError(await call('analyst', 'POST', `/api/uploads/${once.id}/confirm`), 409, 'upload_not_pending');

    // Another load changes the slice between the preview and the confirmation.
    const stale = await staged('stale.csv', csv('READMIT,RZA,2015/16,5,50,,,,,'));
    const other = files.write('other.csv', csv('READMIT,RZB,2015/16,6,60,,,,,'));
    await loadObservations(getDatabase(), await openObservationSource(other), other);
    await expectError(await call('analyst', 'POST', `/api/uploads/${stale.id}/confirm`), 409, 'stale_preview');

    // The staged file changes on disk after its preview.
    const edited = await staged('edited.csv', csv('READMIT,RZA,2014/15,5,50,,,,,'));
    await editStaged(edited.id, csv('READMIT,RZA,2014/15,7,50,,,,,'));
    await expectError(await call('analyst', 'POST', `/api/uploads/${edited.id}/confirm`), 409, 'stale_preview');

    const discard = await call('analyst', 'DELETE', `/api/uploads/${edited.id}`);
    expect(await discard.json()).toEqual({ id: edited.id, status: 'discarded' });
    expect(await isKept(edited.id)).toBe(false);
    await expectError(await call('analyst', 'POST', `/api/uploads/${edited.id}/confirm`), 409, 'upload_not_pending');
    const audit = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'upload_discarded'));
    expect(audit.find((event) => (event.details as { uploadId?: string }).uploadId === edited.id)).toMatchObject({ actor: 'analyst@example.nhs.uk', details: { file: 'edited.csv' } });
   }, 90_000);

  it('previews off the request path: 202 with the preview job, its place in the queue and where to follow it; 429 with Retry-After when the queue is full', async () => {
    // A queue that nothing takes jobs from yet, with room for two waiting previews.
    const queue = inProcessJobQueue({ maxWaiting: 2, retryAfterSeconds: 11 });
    const queued = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, jobs: queue, config: { uploadDir: staging.folder, uploadRateLimit: { limit: 1_000, windowMs: 600_000 } } });
    const first = await upload('analyst', 'first-preview.csv', revision, queued);
    expect([first.status, first.headers.get('location')]).toEqual([202, expect.stringMatching(/^\/api\/uploads\/[A-Za-z0-9_-]{22}$/)]);
    const view = await first.json();
    expect(first.headers.get('location')).toBe(`/api/uploads/${view.id}`);
    expect(view).toMatchObject({ status: 'previewing', fileName: 'first-preview.csv', format: 'auto', preview: null, job: { id: expect.any(String), state: 'queued', position: 1 } });
    // Its checksum is the file's from the start, as the loader computes it.
    expect(view.checksum).toBe(createHash('sha256').update(revision).digest('hex'));
    const second = await (await upload('analyst', 'second-preview.csv', revision, queued)).json();
    expect(second.job).toMatchObject({ state: 'queued', position: 2 });
    expect((await (await call('analyst', 'GET', `/api/uploads/${view.id}`, queued)).json()).job).toEqual(view.job);
    expect((await (await call('analyst', 'GET', '/api/uploads', queued)).json()).uploads.slice(0, 2).map((entry: { status: string }) => entry.status)).toEqual(['previewing', 'previewing']);
    // Nothing to confirm yet.
    await expectError(await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`, queued), 409, 'upload_previewing');

    // Full: refused before the file is read, and nothing of it is kept.
    const before = (await getDatabase().db.select().from(schema.uploads)).length;
    const refused = await expectError(await upload('analyst', 'third-preview.csv', revision, queued), 429, 'queue_full');
    expect(refused.headers.get('retry-after')).toBe('11');
    expect((await getDatabase().db.select().from(schema.uploads)).length).toBe(before);
    // A plain form is sent back to the upload page with the code.
    const { secret } = await createSession(getDatabase().db, tokens.analystId);
    const form = new FormData();
    form.set('file', new Blob([revision]), 'form-preview.csv');
    const formRefused = await queued.request('/api/uploads', { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'http://localhost', 'sec-fetch-mode': 'navigate' }, body: form });
    expect([formRefused.status, formRefused.headers.get('location')]).toEqual([303, '/uploads?error=queue_full']);

    // A worker takes the queue: each preview is what the ETL's preview of the same file gives, first come first served.
    await takeJobs(queue, { db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, uploadDir: staging.folder }, 1);
    const path = files.write('first-preview.csv', revision);
    const direct = await etl.preview(path, { format: 'generic' });
    for (const id of [view.id, second.id]) {
      const done = await previewed(id, 'analyst', queued);
      expect(done).toMatchObject({ status: 'validated', format: 'generic', job: null, checksum: direct.checksum, progress: { done: 0, total: 14 } });
      expect({ ...done.preview, file: undefined }).toEqual({ ...direct, file: undefined });
    }
    // Room again.
    expect((await upload('analyst', 'third-preview.csv', revision, queued)).status).toBe(202);
    await queue.stop();
  });

  it('ends an upload whose preview failed on the server, or whose preview job the queue gave up on: failed with the reason, its file removed, audited', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const broken: UploadEtl = {
      ...etl,
      preview: async () => {
        throw new Error('disk unreadable');
      },
    };
    const view = await previewed((await (await upload('analyst', 'unreadable.csv', revision, app({}, broken))).json()).id);
    expect(view).toMatchObject({ status: 'failed', preview: null, job: null, error: { reason: 'the file could not be checked on the server; nothing was loaded' } });
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk unreadable' }));

    const queue = inProcessJobQueue();
    const queued = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, jobs: queue, config: { uploadDir: staging.folder, uploadRateLimit: { limit: 1_000, windowMs: 600_000 } } });
    const abandoned = await (await upload('analyst', 'abandoned-preview.csv', revision, queued)).json();
    // A worker that dies with every job it takes: the queue marks each failed.
    await queue.work('upload-preview', 1, async () => {
      throw new Error('worker lost');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    logged.mockRestore();
    expect(await (await call('analyst', 'GET', `/api/uploads/${abandoned.id}`, queued)).json()).toMatchObject({
      status: 'failed',
      error: { reason: 'the check of the file stopped (its worker was stopped or failed) too often; upload the file again' },
    });
    for (const id of [view.id, abandoned.id]) expect(await isKept(id)).toBe(false);
    const failures = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.outcome, 'failure'));
    for (const id of [view.id, abandoned.id]) {
      expect(failures.filter((event) => (event.details as { uploadId?: string }).uploadId === id)).toEqual([expect.objectContaining({ action: 'upload', actor: 'analyst@example.nhs.uk' })]);
    }
    await expectError(await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`), 409, 'upload_not_pending');
    await queue.stop();
  });

  it('queues a confirmed load: 202 with the job, its place in the queue and where to follow it; 429 with Retry-After when the queue is full', async () => {
    // A queue that nothing takes jobs from yet, with room for one waiting load.
    const queue = inProcessJobQueue({ maxWaiting: 1, retryAfterSeconds: 9 });
    const queued = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, jobs: queue, config: { uploadDir: staging.folder } });
    const first = await staged('first-in-queue.csv', csv('READMIT,RZA,2003/04,5,50,,,,,'));
    const second = await staged('second-in-queue.csv', csv('READMIT,RZA,2002/03,5,50,,,,,'));
    const confirmed = await call('analyst', 'POST', `/api/uploads/${first.id}/confirm`, queued);
    expect([confirmed.status, confirmed.headers.get('location')]).toEqual([202, `/api/uploads/${first.id}`]);
    const view = await confirmed.json();
    expect(view).toMatchObject({ status: 'loading', job: { id: expect.any(String), state: 'queued', position: 1 } });
    expect((await (await call('analyst', 'GET', `/api/uploads/${first.id}`, queued)).json()).job).toEqual(view.job);

    const refused = await expectError(await call('analyst', 'POST', `/api/uploads/${second.id}/confirm`, queued), 429, 'queue_full');
    expect(refused.headers.get('retry-after')).toBe('9');
    // Refused, it waits for its confirmation as before.
    expect(await statusOf(second.id)).toBe('validated');

    // A worker takes the queue: the first loads, and the second may be confirmed again.
    await takeJobs(queue, { db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, uploadDir: staging.folder }, 1);
    expect((await finished(first.id)).status).toBe('loaded');
    expect((await call('analyst', 'POST', `/api/uploads/${second.id}/confirm`, queued)).status).toBe(202);
    expect(await finished(second.id)).toMatchObject({ status: 'loaded', job: null });
    await queue.stop();
  });

  it('ends an upload whose load job the queue gave up on: failed and audited, or loaded when its load had committed', async () => {
    const queue = inProcessJobQueue();
    const queued = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl: etl, jobs: queue, config: { uploadDir: staging.folder } });
    const abandoned = await staged('abandoned.csv', csv('READMIT,RZA,2001/02,5,50,,,,,'));
    const committed = await staged('committed.csv', csv('READMIT,RZA,2000/01,5,50,,,,,'));
    for (const view of [abandoned, committed]) expect((await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`, queued)).status).toBe(202);
    // The second's load committed its batch before its worker went; the first's never started.
    const [batch] = await getDatabase().db.select({ id: schema.loadBatches.id }).from(schema.loadBatches).limit(1);
    await getDatabase().db.update(schema.uploads).set({ batchId: batch.id }).where(eq(schema.uploads.id, committed.id));
    // A worker that dies with every job it takes: the queue marks each failed.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await queue.work('upload-load', 1, async () => {
      throw new Error('worker lost');
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    logged.mockRestore();
    const view = async (id: string) => (await call('analyst', 'GET', `/api/uploads/${id}`, queued)).json();
    expect(await view(abandoned.id)).toMatchObject({ status: 'failed', error: { reason: 'the load stopped (its worker was stopped or failed) too often; nothing was loaded' }, job: null });
    expect(await view(committed.id)).toMatchObject({ status: 'loaded', result: { batchId: batch.id }, error: null });
    expect([await isKept(abandoned.id), await isKept(committed.id)]).toEqual([false, false]);
    const failures = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.outcome, 'failure'));
    expect(failures.filter((event) => (event.details as { uploadId?: string }).uploadId === abandoned.id)).toHaveLength(1);
    expect(failures.filter((event) => (event.details as { uploadId?: string }).uploadId === committed.id)).toHaveLength(0);
    await queue.stop();
  });

  it('leaves the database exactly as it was when a load fails mid-way, with the reason and a failed load in the audit trail', async () => {
    const view = await staged('fails.csv', revision.replaceAll('2024/25', '2013/14'));
    const before = await databaseFingerprint(getDatabase().db);
    // A fault in the middle of the COPY, after the slices' observations have been moved aside.
    const failing: UploadEtl = { ...etl, load: (path, options, run) => etl.load(path, options, { ...run, onProgress: (done, total) => (done > total / 2 ? thrown() : run.onProgress(done, total)) }) };
    const thrown = () => {
      throw new Error('disk full');
    };
    const faulty = app({}, failing);
    // The server logs the unexpected fault for its operators; the client sees only the reason.
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect((await faulty.request(`/api/uploads/${view.id}/confirm`, { method: 'POST', headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' } })).status).toBe(202);
    const failed = await finished(view.id);
    expect(logged).toHaveBeenCalledWith(expect.objectContaining({ message: 'disk full' }));
    logged.mockRestore();
    expect(failed).toMatchObject({ status: 'failed', error: { reason: 'the load failed on the server; nothing was loaded' }, result: null });
    expect(JSON.stringify(failed)).not.toMatch(stackTracePattern);
    expect(await databaseFingerprint(getDatabase().db)).toEqual(before);
    const failures = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.outcome, 'failure'));
    expect(failures.find((event) => (event.details as { uploadId?: string }).uploadId === view.id)).toMatchObject({ action: 'load', actor: 'analyst@example.nhs.uk', details: { uploadId: view.id, file: 'fails.csv' } });
  });

  it('throws away uploads left unconfirmed past their 24 hours, staged files and all', async () => {
    const view = await staged('forgotten.csv', csv('READMIT,RZA,2012/13,5,50,,,,,'));
    const { db } = getDatabase();
    expect(await isKept(view.id)).toBe(true);
    await db.update(schema.uploads).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.uploads.id, view.id));
    await call('analyst', 'GET', '/api/uploads');
    expect((await (await call('analyst', 'GET', `/api/uploads/${view.id}`)).json()).status).toBe('discarded');
    expect(await isKept(view.id)).toBe(false);
    await expectError(await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`), 409, 'upload_not_pending');
  });

  it('at a restart, ends what a dead process left (its load failed, its review expired, its folder and half-staged files removed) and leaves live instances alone', async () => {
    const { db } = getDatabase();
    const interrupted = await staged('interrupted.csv', csv('READMIT,RZA,2011/12,5,50,,,,,'));
    const waiting = await staged('waiting.csv', csv('READMIT,RZA,2010/11,5,50,,,,,'));
    const kept = await staged('kept.csv', csv('READMIT,RZA,2009/10,5,50,,,,,'));
    // A process killed mid-way: its folder and a lock it stopped refreshing a while ago remain.
    const dead = join(staging.folder, 'instance-killed');
    for (const [view, status] of [[interrupted, 'loading'], [waiting, 'validated']] as const) {
      const row = await rowOf(view.id);
      const moved = join(dead, view.id, row.fileName);
      mkdirSync(dirname(moved), { recursive: true });
      if (!sharedStaging()) {
        renameSync(row.storedPath, moved);
        rmSync(dirname(row.storedPath), { recursive: true });
      }
      await db.update(schema.uploads).set({ status, storedPath: moved }).where(eq(schema.uploads.id, view.id));
    }
    mkdirSync(join(dead, 'half-staged'));
    writeFileSync(join(dead, 'half-staged', 'half.csv'), 'indicator_code,org');
    mkdirSync(`${dead}.lock`);
    const longAgo = new Date(Date.now() - 10 * 60_000);
    utimesSync(`${dead}.lock`, longAgo, longAgo);
    // Another server on the same folder, still running: its lock is fresh.
    const other = await openStagingArea(staging.folder);
    mkdirSync(join(other.folder, 'its-upload'));
    writeFileSync(join(other.folder, 'its-upload', 'its.csv'), 'a');

    const files = stagedFilesFor(getDatabase().kind);
    if (sharedStaging()) {
      // Files kept in the database outlive their process: any replica confirms the waiting one, and the queue
      // runs the interrupted load again (test/proof/replicas.test.ts); only the dead folder goes.
      expect(await recoverUploads(db, staging.folder, files)).toEqual({ failed: 0, expired: 0, removedFolders: 1 });
      expect([await statusOf(interrupted.id), await statusOf(waiting.id)]).toEqual(['loading', 'validated']);
      expect([await isKept(interrupted.id), await isKept(waiting.id)]).toEqual([true, true]);
    } else {
      expect(await recoverUploads(db, staging.folder, files)).toEqual({ failed: 1, expired: 1, removedFolders: 1 });
      expect(await (await call('analyst', 'GET', `/api/uploads/${interrupted.id}`)).json()).toMatchObject({ status: 'failed', error: { reason: 'the server stopped during the load; nothing was loaded' } });
      expect(await statusOf(waiting.id)).toBe('discarded');
      const failures = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.outcome, 'failure'));
      expect(failures.find((event) => (event.details as { uploadId?: string }).uploadId === interrupted.id)).toMatchObject({ action: 'load', actor: 'analyst@example.nhs.uk' });
    }
    expect([existsSync(dead), existsSync(`${dead}.lock`)]).toEqual([false, false]);
    expect(existsSync(join(other.folder, 'its-upload', 'its.csv'))).toBe(true);
    expect([await statusOf(kept.id), await isKept(kept.id)]).toEqual(['validated', true]);
    // A second start finds nothing more to do.
    expect(await recoverUploads(db, staging.folder, files)).toEqual({ failed: 0, expired: 0, removedFolders: 0 });
    if (sharedStaging()) await db.update(schema.uploads).set({ status: 'discarded' }).where(eq(schema.uploads.id, interrupted.id));
  });

  it('stages in a 0700 folder of its own inside a root it makes 0700, each file 0600', async () => {
    const root = join(files.folder, 'shared-root');
    mkdirSync(root, { mode: 0o755 });
    chmodSync(root, 0o755);
    const rooted = app({ uploadDir: root });
    const view = await previewed((await (await upload('analyst', 'modes.csv', csv('READMIT,RZA,2008/09,5,50,,,,,'), rooted)).json()).id, 'analyst', rooted);
    const { storedPath } = await rowOf(view.id);
    const instance = dirname(dirname(storedPath));
    expect([dirname(instance), instance]).toEqual([root, (await stagingArea(root)).folder]);
    // On PostgreSQL the staged file went into the database once previewed; its folder with it.
    const paths = sharedStaging() ? [root, instance] : [root, instance, dirname(storedPath), storedPath];
    expect(paths.map((path) => statSync(path).mode & 0o777)).toEqual([0o700, 0o700, 0o700, 0o600].slice(0, paths.length));
    expect([await isKept(view.id), existsSync(storedPath)]).toEqual([true, !sharedStaging()]);
  });

  it('removes the staged file when the client goes away mid-upload, and stores nothing', async () => {
    const { folder } = await stagingArea(staging.folder);
    const before = readdirSync(folder);
    const server = createServer(getRequestListener(app().fetch));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
      const sent = csv(...Array.from({ length: 20_000 }, () => 'READMIT,RZA,2007/08,5,50,,,,,'));
      socket.write(`POST /api/uploads?name=abort.csv HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${tokens.analyst}\r\ncontent-type: text/csv\r\ncontent-length: ${sent.length * 4}\r\n\r\n`);
      socket.write(sent);
      const uploadsIn = () => readdirSync(folder).filter((name) => !before.includes(name));
      await expect.poll(() => uploadsIn().map((name) => readdirSync(join(folder, name))).flat(), { timeout: 10_000 }).toEqual(['abort.csv']);
      socket.destroy();
      await expect.poll(uploadsIn, { timeout: 10_000 }).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const rows = await getDatabase().db.select().from(schema.uploads).where(eq(schema.uploads.fileName, 'abort.csv'));
    expect(rows).toEqual([]);
  });

  it('keeps a rejected file not at all and its review an hour, an accepted one 24 hours, by the clock', async () => {
    const { token } = await createApiToken(getDatabase().db, { userId: tokens.analystId, scopes: ['read', 'write'], days: 3 });
    const list = () => app().request('/api/uploads', { headers: { authorization: `Bearer ${token}` } });
    const rejected = await staged('rejected-later.csv', malformed);
    expect(await isKept(rejected.id)).toBe(false);
    const accepted = await staged('accepted-later.csv', csv('READMIT,RZA,2006/07,5,50,,,,,'));
    const start = Date.now();
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      const at = async (ms: number) => {
        vi.setSystemTime(start + ms);
        expect((await list()).status).toBe(200);
        return [await statusOf(rejected.id), await statusOf(accepted.id)];
      };
      expect(await at(59 * 60_000)).toEqual(['rejected', 'validated']);
      expect(await at(61 * 60_000)).toEqual(['discarded', 'validated']);
      expect(await at(24 * 60 * 60_000 - 60_000)).toEqual(['discarded', 'validated']);
      expect(await at(24 * 60 * 60_000 + 60_000)).toEqual(['discarded', 'discarded']);
    } finally {
      vi.useRealTimers();
    }
    expect(await isKept(accepted.id)).toBe(false);
  });

  it('stores whatever a file holds (NUL and other controls in cells, a NUL in its name, a value cut inside a surrogate pair): 202, then problems by file, row and column', async () => {
    const view = await staged('controls.csv', csv('READMIT,RZ\u0000A,2024/25 Q1,1,2,,,,,', 'READMIT,RZA,2024/25 Q1,1\u0001,2,,,,,', 'READMIT,RZB,2024/25 Q1,\u001b[2J,2,,,,,'));
    expect(view.status).toBe('rejected');
    const place = (problem: { file: string; row: number; column?: string }) => [problem.file, problem.row, problem.column];
    expect(view.preview.problems.map(place)).toEqual([
      ['controls.csv', 2, 'organisation_code'],
      ['controls.csv', 3, 'numerator'],
      ['controls.csv', 4, 'numerator'],
    ]);
    expect(JSON.stringify(view.preview.problems)).toContain('\\u0000');
    // A header of one field of emoji, shortened for its problem at a code unit that splits a pair.
    const emoji = await staged('emoji.csv', '\u{1F600}'.repeat(150_000));
    expect(emoji.status).toBe('rejected');
    const { secret } = await createSession(getDatabase().db, tokens.analystId);
    const form = new FormData();
    form.set('file', new Blob([csv('READMIT,RZA,2005/06,5,50,,,,,')]), 'nul\u0000name.csv');
    const named = await app().request('/api/uploads', { method: 'POST', headers: { cookie: `va_session=${secret}`, origin: 'http://localhost' }, body: form });
    expect(named.status, await named.clone().text()).toBe(202);
    expect((await previewed((await named.json()).id)).fileName).toBe('nul_name.csv');
    for (const id of [view.id, emoji.id]) {
      const stored = await (await call('analyst', 'GET', `/api/uploads/${id}`)).json();
      expect(stringsOf(stored).filter((text) => unstorable.test(text))).toEqual([]);
    }
  });

  it('records each upload in the audit trail: who, the file, its checksum, rows and problems', async () => {
    const view = await staged('audited.csv', malformed);
    const events = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'upload'));
    expect(events.find((event) => (event.details as { uploadId: string }).uploadId === view.id)).toMatchObject({
      actor: 'analyst@example.nhs.uk',
      outcome: 'success',
      details: { file: 'audited.csv', checksum: view.checksum, rows: 5, problems: view.preview.problemCount, status: 'rejected' },
    });
  });
});
