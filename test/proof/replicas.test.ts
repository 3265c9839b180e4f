import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/tokens.queries';
import { queryRows, schema } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';
import { describeFault } from './describe-fault';
import { freePort, startAtlas, type AtlasProcess } from './replicas';

/**
 * Several processes on one PostgreSQL, as a deployment runs them: two API replicas that run no jobs
 * (VARIATION_ATLAS_WORKERS=0) and one `npm run worker`. A file staged through replica A is confirmed through
 * replica B and loaded by the worker; its preview, too, runs on the worker and is read through B; both replicas then answer with the new figures at once (their analysis
 * caches are keyed by the data version the load raised). A worker killed mid-load leaves nothing of it, and the
 * job is run again, to the end, by a worker started afterwards; so is a preview cut off by a killed worker. Without the shared staging B could not read A's
 * file; without the check for dead workers' jobs the killed job would wait for hours; without the in-transaction guard a retry of a
 * committed load would load twice or fail it.
 */
const header = 'indicator_code,organisation_code,period,numerator,denominator,observed,expected,value,value_lower,value_upper';
const csv = (rows: string[]) => [header, ...rows].join('\n') + '\n';
const baseline = ['READMIT,RZA,2024/25 Q1,10,100,,,,,', 'READMIT,RZB,2024/25 Q1,20,200,,,,,', 'READMIT,RZC,2024/25 Q1,30,300,,,,,'];
const revision = ['READMIT,RZA,2024/25 Q1,10,100,,,,,', 'READMIT,RZB,2024/25 Q1,60,200,,,,,', 'READMIT,RZC,2024/25 Q1,30,300,,,,,'];

/** Enough extra trusts that the load's COPY can be caught under way: 600 trusts × 80 quarters of C. difficile. */
const extraTrusts = Array.from({ length: 600 }, (_, i) => `RX${String(i).padStart(4, '0')}`);
const quarters = Array.from({ length: 20 }, (_, i) => 2005 + i).flatMap((year) => [1, 2, 3, 4].map((q) => `${year}/${String((year + 1) % 100).padStart(2, '0')} Q${q}`));
const bigFile = () => csv(extraTrusts.flatMap((code, i) => quarters.map((period, j) => `CDIFF,${code},${period},${(i + j) % 7},10000,,,,,`)));

describeFault('two API replicas and a worker on one PostgreSQL', { privateCluster: false }, () => {
  const files = temporaryFolder();
  let database: TestDatabase;
  let url: string;
  let replicaA: AtlasProcess;
  let replicaB: AtlasProcess;
  let worker: AtlasProcess | undefined;
  let token: string;

  const env = (name: string) => ({
    DATABASE_URL: url,
    VARIATION_ATLAS_AUTH: 'required',
    VARIATION_ATLAS_UPLOAD_DIR: `${files.folder}/${name}`,
    // A killed worker's job is found at once rather than within the default 15 s.
    VARIATION_ATLAS_DEAD_WORKER_CHECK_SECONDS: '1',
  });
  const startReplica = async (name: string) => startAtlas('serve', { ...env(name), PORT: String(await freePort()), VARIATION_ATLAS_WORKERS: '0' });
  const startWorker = () => startAtlas('worker', { ...env('worker'), VARIATION_ATLAS_WORKERS: '1' });

  const request = (replica: AtlasProcess, path: string, init: RequestInit = {}) =>
    fetch(`${replica.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
  const json = async (replica: AtlasProcess, path: string, init: RequestInit = {}) => {
    const answer = await request(replica, path, init);
    return { status: answer.status, headers: answer.headers, body: await answer.json() };
  };
  /** Sends a file through one replica: 202, its preview queued for a worker (the replicas run no jobs). */
  const send = async (replica: AtlasProcess, name: string, content: string) => {
    const sent = await json(replica, `/api/uploads?name=${name}`, { method: 'POST', headers: { 'content-type': 'text/csv' }, body: content });
    expect(sent.status, JSON.stringify(sent.body)).toBe(202);
    expect(sent.body).toMatchObject({ status: 'previewing', preview: null, job: { state: 'queued' } });
    return sent.body as { id: string };
  };
  /** Sends a file through `through` and reads its preview, written by the worker, through `readBy`. */
  const stage = async (through: AtlasProcess, name: string, content: string, readBy = through) => {
    const { id } = await send(through, name, content);
    // A 48,000-row preview takes a while on a loaded machine.
    return (await uploadUntil(readBy, id, (view) => view.status !== 'previewing', 180_000)) as { id: string; status: string; preview: { rows: number; totals: Record<string, number> } };
  };
  /** Polls the upload on a replica until the predicate holds of it. */
  async function uploadUntil(replica: AtlasProcess, id: string, done: (view: { status: string; progress: { done: number; total: number }; job: { state: string } | null }) => boolean, timeoutMs = 30_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { body } = await json(replica, `/api/uploads/${id}`);
      if (done(body)) return body;
      if (Date.now() > deadline) throw new Error(`upload ${id} is still ${JSON.stringify({ status: body.status, progress: body.progress, job: body.job })}\n${worker?.output() ?? ''}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const funnelPath = `/api/funnel?indicator=READMIT&period=${encodeURIComponent('2024/25 Q1')}`;
  const rzbOf = (funnel: { providers: { code: string; numerator: number }[] }) => funnel.providers.find((provider) => provider.code === 'RZB')?.numerator;

  beforeAll(async () => {
    database = await createTestDatabase();
    const address = new URL(process.env.DATABASE_URL!);
    address.pathname = `/${database.name}`;
    url = address.toString();
    const organisations = [referenceFiles['organisations.csv'], ...extraTrusts.map((code) => `${code},Extra trust ${code},trust,QZZ,,`)].join('\n');
    await loadOrganisations(database, files.write('organisations.csv', organisations));
    await loadNetworks(database, files.write('networks.csv', referenceFiles['networks.csv']));
    await loadMemberships(database, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
    await loadIndicators(database, files.write('indicators.csv', referenceFiles['indicators.csv']));
    const path = files.write('baseline.csv', csv(baseline));
    await loadObservations(database, await openObservationSource(path), path, { loadedBy: 'seed' });
    const [analyst] = await database.db.insert(schema.users).values({ subject: 'analyst@example.nhs.uk', role: 'analyst' }).returning();
    token = (await createApiToken(database.db, { userId: analyst.id, scopes: ['read', 'write'], days: 1 })).token;
    [replicaA, replicaB, worker] = await Promise.all([startReplica('a'), startReplica('b'), startWorker()]);
  }, 240_000);

  afterAll(async () => {
    await Promise.all([replicaA?.stop(), replicaB?.stop(), worker?.stop()]);
    await database?.close();
    files.remove();
  });

  it('stages through A, confirms through B, loads on the worker, and both replicas answer the new figures at once', async () => {
    const before = await Promise.all([replicaA, replicaB].map((replica) => json(replica, funnelPath)));
    expect(before.map((answer) => [answer.status, rzbOf(answer.body)])).toEqual([[200, 20], [200, 20]]);
    // Each replica has the old funnel cached, and both give it the same ETag.
    const oldTag = before[0].headers.get('etag')!;
    expect(before[1].headers.get('etag')).toBe(oldTag);
    for (const replica of [replicaA, replicaB]) expect((await request(replica, funnelPath, { headers: { 'if-none-match': oldTag } })).status).toBe(304);

    // Sent to A, previewed on the worker (the replicas run no jobs), read through B from the shared database.
    const staged = await stage(replicaA, 'revision.csv', csv(revision), replicaB);
    expect(staged).toMatchObject({ status: 'validated', preview: { rows: 3, totals: { new: 0, revised: 1, unchanged: 2, withdrawn: 0 } } });
    const confirmed = await json(replicaB, `/api/uploads/${staged.id}/confirm`, { method: 'POST' });
    expect(confirmed.status).toBe(202);
    expect(confirmed.body).toMatchObject({ status: 'loading', job: { id: expect.any(String), state: 'queued', position: 1 } });
    const loaded = await uploadUntil(replicaA, staged.id, (view) => view.status !== 'loading');
    expect(loaded).toMatchObject({ status: 'loaded', result: { rows: 3 }, job: null });

    // At once, on both: the old ETag is no longer current, and the answer is the new figure.
    const after = await Promise.all([replicaA, replicaB].map((replica) => request(replica, funnelPath, { headers: { 'if-none-match': oldTag } })));
    expect(after.map((answer) => answer.status)).toEqual([200, 200]);
    const bodies = await Promise.all(after.map((answer) => answer.json()));
    expect(bodies.map(rzbOf)).toEqual([60, 60]);
    const newTag = after[0].headers.get('etag');
    expect([newTag === oldTag, after[1].headers.get('etag') === newTag]).toEqual([false, true]);
    // The load was the worker's: the batch names who confirmed it, and its audit event is there once.
    const loads = await database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'load'));
    expect(loads.filter((event) => (event.details as { file?: string }).file === 'revision.csv')).toHaveLength(1);
  }, 60_000);

  it('a worker killed mid-load leaves no half-load; the job is run again and completes on a worker started afterwards', async () => {
    const content = bigFile();
    const staged = await stage(replicaA, 'cdiff.csv', content);
    const rows = staged.preview.rows;
    expect(rows).toBe(extraTrusts.length * quarters.length);
    const before = await databaseFingerprint(database.db);
    expect((await json(replicaB, `/api/uploads/${staged.id}/confirm`, { method: 'POST' })).status).toBe(202);
    // Killed while the load's COPY into observations is under way, rows already written in its transaction.
    const copied = async () => {
      const [{ n }] = await queryRows<{ n: number }>(database.db, sql`select coalesce(max(tuples_processed), 0)::int as n from pg_stat_progress_copy where relid = 'observations'::regclass`);
      return n;
    };
    const deadline = Date.now() + 45_000;
    let written = 0;
    while (written === 0 && Date.now() < deadline) {
      written = await copied();
      if (written === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await worker!.kill();
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(rows);

    // Nothing of the load is visible: its transaction died with the worker's connection.
    expect(await databaseFingerprint(database.db)).toEqual(before);
    const [{ n: batches }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from load_batches where file_name = 'cdiff.csv'`);
    expect(batches).toBe(0);
    expect((await json(replicaA, `/api/uploads/${staged.id}`)).body).toMatchObject({ status: 'loading', result: null });

    worker = await startWorker();
    const loaded = await uploadUntil(replicaA, staged.id, (view) => view.status !== 'loading', 45_000);
    expect(loaded, `${JSON.stringify(loaded.error)}\n${worker.output()}`).toMatchObject({ status: 'loaded', result: { rows, unchanged: false } });
    const [{ n: loadedRows }] = await queryRows<{ n: number }>(
      database.db,
      sql`select count(*)::int as n from observations o join load_batches b on b.id = o.load_batch_id where b.file_name = 'cdiff.csv'`,
    );
    expect(loadedRows).toBe(rows);
    const [{ n: loadsOfIt }] = await queryRows<{ n: number }>(database.db, sql`select count(*)::int as n from load_batches where file_name = 'cdiff.csv'`);
    expect(loadsOfIt).toBe(1);
    // The staged bytes went with the load.
    expect(await database.db.select().from(schema.uploadChunks).where(eq(schema.uploadChunks.uploadId, staged.id))).toEqual([]);
  }, 300_000);

  it('a preview waits for a worker; one killed mid-preview leaves the upload previewing, and its preview is run again by the next', async () => {
    await worker!.stop();
    worker = undefined;
    // Another file revising every row of the last one, sent with no worker running: it waits in the queue.
    const content = bigFile().replace(/,10000,/g, ',20000,');
    const { id } = await send(replicaA, 'cdiff-revised.csv', content);
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect((await json(replicaB, `/api/uploads/${id}`)).body).toMatchObject({ status: 'previewing', job: { state: 'queued', position: 1 } });

    worker = await startWorker();
    await uploadUntil(replicaB, id, (view) => view.job?.state === 'running' || view.status !== 'previewing', 120_000);
    await worker.kill();
    // Killed while it ran (not after): the upload is still previewing, its job still the queue's.
    expect((await json(replicaB, `/api/uploads/${id}`)).body).toMatchObject({ status: 'previewing', preview: null });

    worker = await startWorker();
    const previewed = await uploadUntil(replicaA, id, (view) => view.status !== 'previewing', 180_000);
    const rows = extraTrusts.length * quarters.length;
    expect(previewed, worker.output()).toMatchObject({ status: 'validated', job: null, preview: { rows, problemCount: 0, totals: { new: 0, revised: rows, unchanged: 0, withdrawn: 0 } } });
    // One upload event in the audit trail, however many times its preview ran.
    const events = await database.db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'upload'));
    expect(events.filter((event) => (event.details as { uploadId?: string }).uploadId === id)).toHaveLength(1);
  }, 480_000);
});
