import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createSession } from '../../api/auth/sessions.queries';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';
import { stackTracePattern } from '../support/raw-observations';

/**
 * The load history and its rollbacks through the API. Without these tests the dashboard's preview of a
 * rollback could promise other rows than the rollback then removes, a refused rollback could pass unrecorded
 * or leak the database's words, and anyone short of an analyst could undo a load.
 */
const header = 'indicator_code,organisation_code,period,numerator,denominator';
const csv = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

type Person = 'viewer' | 'analyst' | 'admin';

describeDatabase('load history and rollback', (getDatabase) => {
  const files = temporaryFolder();
  let tokens: Record<Person, string>;
  let analystId: number;
  let fileNumber = 0;
  afterAll(() => files.remove());

  beforeAll(async () => {
    const handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']));
    await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    const people = await handle.db
      .insert(schema.users)
      .values([
        { subject: 'viewer@example.nhs.uk', role: 'viewer' as const },
        { subject: 'analyst@example.nhs.uk', role: 'analyst' as const },
        { subject: 'admin@example.nhs.uk', role: 'admin' as const },
      ])
      .returning();
    const token = async (index: number) => (await createApiToken(handle.db, { userId: people[index].id, scopes: ['read', 'write'], days: 1 })).token;
    tokens = { viewer: await token(0), analyst: await token(1), admin: await token(2) };
    analystId = people[1].id;
  });

  const app = (handle: TestDatabase = getDatabase()) => createApp({ db: handle.db, databaseKind: handle.kind, batchEtl: createBatchEtl(handle) });
  const call = (who: Person | undefined, method: string, path: string) =>
    app().request(path, { method, headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) } });
  /** Each test loads files of its own, into periods of its own, so none depends on another's order. */
  async function load(content: string) {
    const path = files.write(`file-${++fileNumber}.csv`, content);
    return loadObservations(getDatabase(), await openObservationSource(path), path, { loadedBy: 'analyst@example.nhs.uk' });
  }
  const numeratorOf = async (organisation: string, period: string) => {
    const rows = await getDatabase()
      .db.select({ numerator: schema.observations.numerator })
      .from(schema.observations)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
      .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
      .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
      .where(and(eq(schema.indicators.code, 'READMIT'), eq(schema.organisations.code, organisation), eq(schema.periods.label, period)));
    return rows.map((row) => row.numerator);
  };
  const failures = (batchId: number) =>
    getDatabase()
      .db.select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, 'rollback'), eq(schema.auditEvents.outcome, 'failure')))
      .then((rows) => rows.filter((row) => (row.details as { batchId?: number }).batchId === batchId));

  async function expectError(response: Response, status: number, code: string) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(JSON.parse(text).error.code).toBe(code);
    expect(text).not.toMatch(stackTracePattern);
    expect(text).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set)\b/i);
    return JSON.parse(text).error as { code: string; message: string };
  }

  it('lists the load history newest first, a page at a time, and shows one batch', async () => {
    const first = await load(csv('READMIT,RZA,2020/21 Q1,1,10', 'READMIT,RZB,2020/21 Q1,2,10'));
    const second = await load(csv('READMIT,RZA,2020/21 Q1,3,10'));
    const page = await (await call('analyst', 'GET', '/api/batches?limit=2')).json();
    expect(page).toMatchObject({ limit: 2, offset: 0 });
    expect(page.total).toBeGreaterThanOrEqual(2);
    expect(page.batches.map((batch: { id: number }) => batch.id)).toEqual([second.batchId, first.batchId]);
    expect(page.batches[1]).toEqual({
      id: first.batchId,
      fileName: expect.stringMatching(/^file-\d+\.csv$/),
      format: 'generic-csv',
      checksum: expect.stringMatching(/^[0-9a-f]{64}$/),
      rows: 2,
      rejectedRows: 0,
      status: 'superseded',
      supersededById: second.batchId,
      loadedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      loadedBy: 'analyst@example.nhs.uk',
    });
    const next = await (await call('admin', 'GET', '/api/batches?limit=1&offset=1')).json();
    expect(next.batches.map((batch: { id: number }) => batch.id)).toEqual([first.batchId]);
    const detail = await (await call('analyst', 'GET', `/api/batches/${second.batchId}`)).json();
    expect(detail).toMatchObject({ batch: { id: second.batchId, status: 'loaded', rows: 1 }, rolledBack: null });
  });

  it("previews exactly what the rollback then does, and the rollback restores the database's figures exactly", async () => {
    const original = await load(csv('READMIT,RZA,2021/22 Q1,10,100', 'READMIT,RZB,2021/22 Q1,20,100', 'READMIT,RZA,2021/22 Q2,5,50'));
    const before = await databaseFingerprint(getDatabase().db);
    // Revises one slice of the original (two rows replaced by two) and adds a slice of its own.
    const revision = await load(csv('READMIT,RZA,2021/22 Q1,11,100', 'READMIT,RZC,2021/22 Q1,30,100', 'CDIFF,RZA,2021/22 Q1,3,1000'));
    expect(await numeratorOf('RZA', '2021/22 Q1')).toEqual([11]);
    const preview = await (await call('analyst', 'GET', `/api/batches/${revision.batchId}`)).json();
    expect(preview.rollback).toEqual({ possible: true, batchId: revision.batchId, removedRows: 3, restoredRows: 2, restoredBatchIds: [] });
    // Computing the preview wrote nothing.
    const revised = await databaseFingerprint(getDatabase().db);
    await call('analyst', 'GET', `/api/batches/${revision.batchId}`);
    expect(await databaseFingerprint(getDatabase().db)).toEqual(revised);

    const response = await call('analyst', 'POST', `/api/batches/${revision.batchId}/rollback`);
    expect(response.status).toBe(200);
    const { possible: _possible, ...planned } = preview.rollback;
    expect(await response.json()).toEqual(planned);
    expect(await numeratorOf('RZA', '2021/22 Q1')).toEqual([10]);
    // Only the history of the rolled-back load stays: its batch row, and the audit trail's record of both.
    const keptHistory = { load_batches: '', audit_events: '' };
    expect({ ...(await databaseFingerprint(getDatabase().db)), ...keptHistory }).toEqual({ ...before, ...keptHistory });

    const after = await (await call('admin', 'GET', `/api/batches/${revision.batchId}`)).json();
    expect(after.batch.status).toBe('rolled_back');
    expect(after.rolledBack).toMatchObject({ by: 'analyst@example.nhs.uk', removedRows: 3, restoredRows: 2, restoredBatchIds: [] });
    expect(after.rollback).toMatchObject({ possible: false, reason: `load batch ${revision.batchId} is rolled back, so there is nothing to roll back` });
    const [audit] = await getDatabase()
      .db.select()
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, 'rollback'), eq(schema.auditEvents.outcome, 'success')))
      .then((rows) => rows.filter((row) => (row.details as { batchId?: number }).batchId === revision.batchId));
    expect(audit).toMatchObject({ actor: 'analyst@example.nhs.uk', details: planned });
    expect(original.status).toBe('loaded');
  });

  it('restores the batches a rollback makes current again, as previewed', async () => {
    const first = await load(csv('READMIT,RZA,2021/22 Q3,10,100'));
    const second = await load(csv('READMIT,RZA,2021/22 Q3,12,100'));
    const preview = await (await call('admin', 'GET', `/api/batches/${second.batchId}`)).json();
    expect(preview.rollback).toEqual({ possible: true, batchId: second.batchId, removedRows: 1, restoredRows: 1, restoredBatchIds: [first.batchId] });
    expect(await (await call('admin', 'POST', `/api/batches/${second.batchId}/rollback`)).json()).toEqual({ batchId: second.batchId, removedRows: 1, restoredRows: 1, restoredBatchIds: [first.batchId] });
    expect((await (await call('admin', 'GET', `/api/batches/${first.batchId}`)).json()).batch).toMatchObject({ status: 'loaded', supersededById: null });
  });

  it("refuses a rollback a later batch depends on, or one already done, with a 409 in the ETL's words and a failure in the audit trail", async () => {
    // The second file revises one of the first's two slices, so the first is still loaded but no longer alone.
    const first = await load(csv('READMIT,RZA,2021/22 Q4,10,100', 'READMIT,RZB,2021/22 Q4,20,100', 'CDIFF,RZA,2021/22 Q4,2,1000'));
    const second = await load(csv('READMIT,RZA,2021/22 Q4,15,100'));
    const reason = `load batch ${first.batchId} was revised by batch ${second.batchId}; roll back batch ${second.batchId} first`;
    const preview = await (await call('analyst', 'GET', `/api/batches/${first.batchId}`)).json();
    expect(preview.rollback).toEqual({ possible: false, batchId: first.batchId, reason });
    const before = await databaseFingerprint(getDatabase().db);
    const refused = await expectError(await call('analyst', 'POST', `/api/batches/${first.batchId}/rollback`), 409, 'rollback_refused');
    expect(refused.message).toContain(reason);
    expect(await databaseFingerprint(getDatabase().db)).toEqual(before);
    expect(await failures(first.batchId)).toEqual([expect.objectContaining({ actor: 'analyst@example.nhs.uk', outcome: 'failure', details: { batchId: first.batchId, reason } })]);

    expect((await call('analyst', 'POST', `/api/batches/${second.batchId}/rollback`)).status).toBe(200);
    const again = await expectError(await call('admin', 'POST', `/api/batches/${second.batchId}/rollback`), 409, 'rollback_refused');
    expect(again.message).toContain(`load batch ${second.batchId} is rolled back, so there is nothing to roll back`);
    expect(await failures(second.batchId)).toEqual([expect.objectContaining({ actor: 'admin@example.nhs.uk' })]);
    // With the later batch gone, the first can be rolled back after all.
    expect((await call('analyst', 'POST', `/api/batches/${first.batchId}/rollback`)).status).toBe(200);
  });

  it('lets analysts and admins only: anonymous 401, a viewer 403, an unknown batch 404, a bad id 400', async () => {
    const batch = await load(csv('READMIT,RZA,2019/20 Q1,10,100'));
    const paths = ['/api/batches', `/api/batches/${batch.batchId}`];
    for (const path of paths) {
      await expectError(await call(undefined, 'GET', path), 401, 'unauthenticated');
      await expectError(await call('viewer', 'GET', path), 403, 'forbidden');
      expect((await call('analyst', 'GET', path)).status).toBe(200);
      expect((await call('admin', 'GET', path)).status).toBe(200);
    }
    await expectError(await call(undefined, 'POST', `/api/batches/${batch.batchId}/rollback`), 401, 'unauthenticated');
    await expectError(await call('viewer', 'POST', `/api/batches/${batch.batchId}/rollback`), 403, 'forbidden');
    await expectError(await call('analyst', 'GET', '/api/batches/99999'), 404, 'not_found');
    await expectError(await call('analyst', 'POST', '/api/batches/99999/rollback'), 404, 'not_found');
    await expectError(await call('analyst', 'GET', '/api/batches/abc'), 400, 'invalid_parameter');
    await expectError(await call('analyst', 'GET', '/api/batches?limit=0'), 400, 'invalid_parameter');
    expect(await failures(99999)).toEqual([]);
    expect((await (await call('analyst', 'GET', `/api/batches/${batch.batchId}`)).json()).batch.status).toBe('loaded');
  });

  it("takes the dashboard's plain form: a 303 back to the batch's page, a refusal with its code, and a form from another site refused", async () => {
    const first = await load(csv('READMIT,RZA,2019/20 Q2,10,100', 'CDIFF,RZA,2019/20 Q2,2,1000'));
    const second = await load(csv('READMIT,RZA,2019/20 Q2,14,100'));
    const { secret } = await createSession(getDatabase().db, analystId);
    const post = (path: string, origin = 'http://localhost') =>
      app().request(path, { method: 'POST', headers: { cookie: `va_session=${secret}`, origin, 'sec-fetch-mode': 'navigate' } });
    await expectError(await post(`/api/batches/${second.batchId}/rollback`, 'https://elsewhere.example'), 403, 'cross_site_request');
    expect(await numeratorOf('RZA', '2019/20 Q2')).toEqual([14]);
    const refused = await post(`/api/batches/${first.batchId}/rollback`);
    expect([refused.status, refused.headers.get('location')]).toEqual([303, `/loads/${first.batchId}?error=rollback_refused`]);
    const done = await post(`/api/batches/${second.batchId}/rollback`);
    expect([done.status, done.headers.get('location')]).toEqual([303, `/loads/${second.batchId}`]);
    expect(await numeratorOf('RZA', '2019/20 Q2')).toEqual([10]);
  });

  it('refuses rollbacks on a server without the ETL (503), after checking who asks', async () => {
    const batch = await load(csv('READMIT,RZA,2019/20 Q3,10,100'));
    const bare = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
    const request = (who: Person | undefined) => bare.request(`/api/batches/${batch.batchId}/rollback`, { method: 'POST', headers: { 'content-type': 'application/json', ...(who ? { authorization: `Bearer ${tokens[who]}` } : {}) } });
    await expectError(await request(undefined), 401, 'unauthenticated');
    await expectError(await request('analyst'), 503, 'rollbacks_unavailable');
  });
});
