import { readFileSync, writeFileSync } from 'node:fs';
import { eq, getTableColumns } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { createApp } from '../../api/app';
import { createSession } from '../../api/auth/sessions.queries';
import { createApiToken } from '../../api/auth/tokens.queries';
import type { ApiConfig } from '../../api/context';
import { failInterruptedUploads } from '../../api/routes/uploads/uploads.queries';
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

  const app = (config: Partial<ApiConfig> = {}, uploadEtl = etl) =>
    createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, uploadEtl, config: { uploadDir: staging.folder, ...config } });
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

  async function staged(name: string, content: string, who: Person = 'analyst') {
    const response = await upload(who, name, content);
    expect(response.status, await response.clone().text()).toBe(201);
    return response.json();
  }

  async function finished(id: string, who: Person = 'analyst') {
    for (let attempt = 0; attempt < 200; attempt++) {
      const view = await (await call(who, 'GET', `/api/uploads/${id}`)).json();
      if (view.status !== 'loading') return view;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`upload ${id} did not finish`);
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
    const view = await (await call('analyst', 'GET', `/api/uploads/${id}`)).json();
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
    expect((await upload('analyst', 'large.csv', large, capped)).status).toBe(201);
    await expectError(await upload('analyst', 'huge.csv', `${large}${large}x`, capped), 413, 'payload_too_large');
    // One field as long as the file: its problem is shown shortened, so no preview swells to the file's size.
    const field = await upload('analyst', 'one-field.csv', 'z'.repeat(300_000), capped);
    const text = await field.text();
    expect(text.length).toBeLessThan(5_000);
    expect(text).toContain(`${'z'.repeat(199)}…`);
    const token = await capped.request('/api/tokens', { method: 'POST', headers: { authorization: `Bearer ${tokens.analyst}`, 'content-type': 'application/json' }, body: JSON.stringify({ scopes: ['read'], name: large }) });
    await expectError(token, 413, 'payload_too_large');
  });

  it('limits uploads per user (429 with Retry-After)', async () => {
    const limited = app({ uploadRateLimit: { limit: 2, windowMs: 60_000 } });
    for (let i = 0; i < 2; i++) expect((await upload('analyst', 'r.csv', revision, limited)).status).toBe(201);
    const refused = await expectError(await upload('analyst', 'r.csv', revision, limited), 429, 'rate_limited');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await upload('otherAnalyst', 'r.csv', revision, limited)).status).toBe(201);
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
    const [row] = await getDatabase().db.select().from(schema.uploads).where(eq(schema.uploads.id, edited.id));
    writeFileSync(row.storedPath, csv('READMIT,RZA,2014/15,7,50,,,,,'));
    await expectError(await call('analyst', 'POST', `/api/uploads/${edited.id}/confirm`), 409, 'stale_preview');

    const discard = await call('analyst', 'DELETE', `/api/uploads/${edited.id}`);
    expect(await discard.json()).toEqual({ id: edited.id, status: 'discarded' });
    expect(() => readFileSync(row.storedPath)).toThrow();
    await expectError(await call('analyst', 'POST', `/api/uploads/${edited.id}/confirm`), 409, 'upload_not_pending');
    const audit = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'upload_discarded'));
    expect(audit.find((event) => (event.details as { uploadId?: string }).uploadId === edited.id)).toMatchObject({ actor: 'analyst@example.nhs.uk', details: { file: 'edited.csv' } });
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
    const [row] = await db.update(schema.uploads).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.uploads.id, view.id)).returning();
    await call('analyst', 'GET', '/api/uploads');
    expect((await (await call('analyst', 'GET', `/api/uploads/${view.id}`)).json()).status).toBe('discarded');
    expect(() => readFileSync(row.storedPath)).toThrow();
    await expectError(await call('analyst', 'POST', `/api/uploads/${view.id}/confirm`), 409, 'upload_not_pending');
  });

  it('marks a load cut off by a server stop as failed, with a failed load in the audit trail', async () => {
    const view = await staged('interrupted.csv', csv('READMIT,RZA,2011/12,5,50,,,,,'));
    const { db } = getDatabase();
    await db.update(schema.uploads).set({ status: 'loading' }).where(eq(schema.uploads.id, view.id));
    expect(await failInterruptedUploads(db)).toBe(1);
    expect(await (await call('analyst', 'GET', `/api/uploads/${view.id}`)).json()).toMatchObject({ status: 'failed', error: { reason: 'the server stopped during the load; nothing was loaded' } });
    const failures = await db.select().from(schema.auditEvents).where(eq(schema.auditEvents.outcome, 'failure'));
    expect(failures.find((event) => (event.details as { uploadId?: string }).uploadId === view.id)).toMatchObject({ action: 'load', actor: 'analyst@example.nhs.uk' });
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
