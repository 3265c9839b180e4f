import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { baseFile, revisionFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';

/**
 * What changed, the digests and the webhooks against an adversary who knows every published figure and watches
 * the change records. RT05 is beyond 99.8 %; a revision then gives it each small count from 1 to 4 in turn (each
 * loaded, read and rolled back). The change list, the inbox digest and the webhook body it queues must be byte
 * for byte the same whatever the count (ids and times aside), name RT05 only as no longer judged, and carry no
 * figure at all. And a count published at the floor (7) but withheld at a higher `suppression` must lose its
 * verdicts when asked at that threshold.
 */
describeDatabase('disclosure: what changed and its alerts', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  let follower: { id: number; token: string };
  let admin: { id: number; token: string };
  afterAll(() => fixture.files.remove());

  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, batchEtl: createBatchEtl(getDatabase()) });
  const call = async (token: string, method: string, path: string, body?: unknown) =>
    (await app().request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) })).json();
  /** An answer with what differs from load to load by design (ids, batch numbers, times) taken out. */
  const normalised = (value: unknown, batchId: number) =>
    JSON.stringify(value, (key, field) => (['id', 'eventId', 'batchId', 'occurredAt', 'createdAt', 'readAt', 'file'].includes(key) ? undefined : field)).replaceAll(`oad ${batchId}`, 'oad N');

  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
    await fixture.load(revisionFile(200));
    follower = await fixture.person('follower@example.nhs.uk', 'viewer', null);
    admin = await fixture.person('admin@example.nhs.uk', 'admin', null);
    await call(follower.token, 'POST', '/api/alerts/subscriptions', { scope: 'network', code: 'NET1', webhookUrl: 'http://127.0.0.1:9/hook' });
  });

  it('a small count leaves every change record, digest and webhook body the same, RT05 named with no verdict and no figure', async () => {
    const seen = new Set<string>();
    for (const small of [1, 2, 3, 4]) {
      const loaded = await fixture.load(revisionFile(small));
      const [event] = (await call(admin.token, 'GET', '/api/changes?limit=1')).events;
      const [digest] = (await call(follower.token, 'GET', '/api/alerts/inbox')).digests;
      const [delivery] = await getDatabase().db.select().from(schema.alertDeliveries).orderBy(schema.alertDeliveries.id).then((rows) => rows.slice(-1));
      const rt05 = event.changes.find((change: { organisation: { code: string } }) => change.organisation.code === 'RT05');
      expect(rt05).toMatchObject({ change: 'left', before: { band: 'above-99.8', judgement: 'worse' }, after: { band: null, judgement: null } });
      expect(rt05.sentence).toContain('not judged (no published figures)');
      for (const text of [JSON.stringify(event), JSON.stringify(digest), delivery.payload]) expect(text).not.toMatch(/"(numerator|denominator|value|observed|expected_count|adjustedZ|z)"/);
      seen.add([normalised(event, loaded.batchId), normalised(digest.content, loaded.batchId), normalised(JSON.parse(delivery.payload), loaded.batchId)].join('\n'));
      expect((await call(admin.token, 'POST', `/api/batches/${loaded.batchId}/rollback`)).batchId).toBe(loaded.batchId);
    }
    expect(seen.size).toBe(1);
  });

  it('a count published at the floor is withheld, verdicts and all, at a higher threshold', async () => {
    const loaded = await fixture.load(revisionFile(7));
    const atFloor = (await call(admin.token, 'GET', `/api/changes?since=${loaded.batchId - 1}`)).events.find((event: { batchId: number }) => event.batchId === loaded.batchId);
    const rt05AtFloor = atFloor.changes.find((change: { organisation: { code: string } }) => change.organisation.code === 'RT05');
    expect(rt05AtFloor).toMatchObject({ withheld: false, after: { band: 'below-99.8' } });
    const raised = await call(admin.token, 'GET', `/api/changes?since=${loaded.batchId - 1}&suppression=10`);
    expect(raised.suppressionThreshold).toBe(10);
    const rt05Raised = raised.events.find((event: { batchId: number }) => event.batchId === loaded.batchId).changes.find((change: { organisation: { code: string } }) => change.organisation.code === 'RT05');
    expect(rt05Raised).toMatchObject({ withheld: true, before: { band: null, judgement: null }, after: { band: null, judgement: null }, verdictFlipped: false });
    expect(JSON.stringify(rt05Raised)).not.toContain('99.8 % limit');
  });
});
