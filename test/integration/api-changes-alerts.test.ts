import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { baseFile, quarters, revisionFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';

/**
 * What changed since the last load, and who is told, through the API on the real loader. Without the recorder a
 * revision that makes a provider an outlier would pass silently; without the checks here a reloaded file could
 * alert twice, a rollback could leave no correction, and a restricted network's changes could leak.
 */
describeDatabase('what changed and subscriptions', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  let lead: { id: number; token: string };
  let hook: { id: number; token: string };
  let baseBatch: number;
  afterAll(() => fixture.files.remove());

  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, batchEtl: createBatchEtl(getDatabase()) });
  const call = async (token: string | undefined, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, { method, headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  };
  /** Each provider's band in the funnel the API answers: the independent side of the comparison. */
  const bands = async (period: string) => {
    const { json } = await call(undefined, 'GET', `/api/funnel?indicator=READMIT&period=${encodeURIComponent(period)}`);
    return new Map<string, string | null>(json.providers.map((provider: { code: string; band: string | null }) => [provider.code, provider.band]));
  };

  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    baseBatch = (await fixture.load(baseFile())).batchId;
    lead = await fixture.person('lead@example.nhs.uk', 'viewer', 'lead@example.nhs.uk');
    hook = await fixture.person('hook@example.nhs.uk', 'viewer', null);
  });

  it('subscriptions: a network the user may see, an indicator, a provider with a webhook (its secret once); unknown or restricted codes answer 404', async () => {
    expect((await call(lead.token, 'POST', '/api/alerts/subscriptions', { scope: 'network', code: 'NET1', email: true })).status).toBe(201);
    const withHook = await call(hook.token, 'POST', '/api/alerts/subscriptions', { scope: 'provider', code: 'RT05', webhookUrl: 'http://127.0.0.1:9/hook' });
    expect(withHook.status).toBe(201);
    expect(withHook.json.webhook.secret).toMatch(/^whsec_[0-9a-f]{64}$/);
    expect((await call(hook.token, 'POST', '/api/alerts/subscriptions', { scope: 'network', code: 'SECRET' })).json.error).toMatchObject({ code: 'not_found', parameter: 'network' });
    expect((await call(hook.token, 'POST', '/api/alerts/subscriptions', { scope: 'indicator', code: 'NOPE' })).status).toBe(404);
    expect((await call(lead.token, 'POST', '/api/alerts/subscriptions', { scope: 'network', code: 'NET1' })).status).toBe(409);
    expect((await call(lead.token, 'POST', '/api/alerts/subscriptions', { scope: 'planet', code: 'NET1' })).json.error.parameter).toBe('scope');
    expect((await call(undefined, 'GET', '/api/alerts/subscriptions')).status).toBe(401);
    const listed = await call(hook.token, 'GET', '/api/alerts/subscriptions');
    expect(listed.json.subscriptions).toEqual([expect.objectContaining({ scope: 'provider', code: 'RT05', webhook: { url: 'http://127.0.0.1:9/hook' } })]);
    expect(JSON.stringify(listed.json)).not.toContain('whsec_');
  });

  it('the upload preview says which verdicts a file would change, and keeps nothing', async () => {
    const events = (await getDatabase().db.select().from(schema.changeEvents)).length;
    const preview = await fixture.load(revisionFile(200), { dryRun: true });
    expect(preview.verdictChanges).toEqual([expect.objectContaining({ organisation: { code: 'RT05', name: 'Trust RT05' }, change: 'entered', revision: true, verdictFlipped: true })]);
    expect((await getDatabase().db.select().from(schema.changeEvents)).length).toBe(events);
    expect((await bands(quarters[3])).get('RT05')).toBe('within');
    // The number the dry run took is given back: the real load gets the next one.
    expect((await fixture.load(revisionFile(201), { dryRun: true })).batchId).toBe(baseBatch + 1);
  });

  it('a revision that makes RT05 an outlier is recorded as the change the funnels show, and each subscriber gets one digest', async () => {
    const before = await bands(quarters[3]);
    const revision = await fixture.load(revisionFile(200));
    expect(revision.batchId).toBe(baseBatch + 1);
    const after = await bands(quarters[3]);
    // Independently of the recorder: the providers whose band the API's funnel gives differently.
    const moved = [...after].filter(([code, band]) => before.get(code) !== band).map(([code]) => code).sort();
    expect(moved).toContain('RT05');
    const { json } = await call(undefined, 'GET', `/api/changes?since=${baseBatch}`);
    expect(json.events).toHaveLength(1);
    const [event] = json.events;
    expect(event).toMatchObject({ kind: 'load', correction: false, batchId: revision.batchId });
    const outsideChanges = (band: string | null | undefined) => band !== null && band !== undefined && band !== 'within';
    const expected = moved.filter((code) => outsideChanges(before.get(code)) || outsideChanges(after.get(code)));
    expect(event.changes.filter((change: { change: string }) => !change.change.startsWith('persistent')).map((change: { organisation: { code: string } }) => change.organisation.code).sort()).toEqual(expected);
    const rt05 = event.changes.find((change: { organisation: { code: string } }) => change.organisation.code === 'RT05');
    expect(rt05).toMatchObject({ change: 'entered', revision: true, verdictFlipped: true, before: { band: before.get('RT05') }, after: { band: after.get('RT05'), judgement: 'worse' } });
    expect(rt05.sentence).toContain('Trust RT05 (RT05) on Emergency readmissions in 2024/25 Q4: now above the 99.8 % limit, worse than expected');
    expect(event.measures).toEqual([expect.objectContaining({ indicator: 'READMIT', period: quarters[3], comparedWith: quarters[3], judged: 20 })]);

    const inbox = await call(lead.token, 'GET', '/api/alerts/inbox');
    expect(inbox.json.unread).toBe(1);
    expect(inbox.json.digests[0].content.changes.map((change: { organisation: { code: string } }) => change.organisation.code)).toContain('RT05');
    expect(inbox.json.digests[0].content.chance.sentence).toMatch(/^1 of 1 measure changed\. On them \d+ of 20 results are beyond 99\.8 %; about 0\.04 expected by chance alone/);
    const hookInbox = await call(hook.token, 'GET', '/api/alerts/inbox');
    expect(hookInbox.json.digests).toHaveLength(1);
    expect(hookInbox.json.digests[0].content.changes.every((change: { organisation: { code: string } }) => change.organisation.code === 'RT05')).toBe(true);
    // No SMTP configured: no e-mail queued; the webhook is queued for after the commit.
    const deliveries = await call(hook.token, 'GET', '/api/alerts/deliveries');
    expect(deliveries.json.deliveries).toEqual([expect.objectContaining({ channel: 'webhook', status: 'pending', target: 'http://127.0.0.1:9/hook', attempts: [] })]);
    expect((await call(lead.token, 'GET', '/api/alerts/deliveries')).json.deliveries).toEqual([]);
    expect((await call(lead.token, 'POST', `/api/alerts/inbox/${inbox.json.digests[0].id}/read`)).status).toBe(204);
    expect((await call(hook.token, 'POST', `/api/alerts/inbox/${inbox.json.digests[0].id}/read`)).status).toBe(404);
    expect((await call(lead.token, 'GET', '/api/alerts/inbox')).json.unread).toBe(0);
  });

  it('reloading the identical file records nothing and tells no one', async () => {
    const digests = (await getDatabase().db.select().from(schema.alertDigests)).length;
    const events = (await getDatabase().db.select().from(schema.changeEvents)).length;
    expect((await fixture.reload(revisionFile(200))).status).toBe('unchanged');
    expect((await getDatabase().db.select().from(schema.changeEvents)).length).toBe(events);
    expect((await getDatabase().db.select().from(schema.alertDigests)).length).toBe(digests);
  });

  it('a rollback records the changes back and sends each subscriber one correction', async () => {
    const [latest] = (await call(undefined, 'GET', '/api/changes?limit=1')).json.events;
    const admin = await fixture.person('admin@example.nhs.uk', 'admin', null);
    expect((await call(admin.token, 'POST', `/api/batches/${latest.batchId}/rollback`)).status).toBe(200);
    const { json } = await call(undefined, 'GET', `/api/changes?since=${latest.batchId}`);
    expect(json.events).toHaveLength(1);
    expect(json.events[0]).toMatchObject({ kind: 'rollback', correction: true, batchId: latest.batchId });
    expect(json.events[0].changes.find((change: { organisation: { code: string } }) => change.organisation.code === 'RT05')).toMatchObject({ change: 'left', before: { judgement: 'worse' } });
    for (const person of [lead, hook]) {
      const inbox = await call(person.token, 'GET', '/api/alerts/inbox');
      expect(inbox.json.digests).toHaveLength(2);
      expect(inbox.json.digests[0]).toMatchObject({ correction: true, title: expect.stringMatching(/^Correction: load \d+ was rolled back/) });
    }
  });

  describe('access and parameters', () => {
    it('a restricted network answers as an unknown one; bad parameters are 400s naming them', async () => {
      expect((await call(lead.token, 'GET', '/api/changes?network=SECRET')).json.error).toMatchObject({ code: 'not_found', parameter: 'network' });
      expect((await call(undefined, 'GET', '/api/changes?since=yesterday')).json.error.parameter).toBe('since');
      expect((await call(undefined, 'GET', '/api/changes?since=99999')).json.error).toMatchObject({ code: 'not_found', parameter: 'since' });
      expect((await call(undefined, 'GET', '/api/changes?limit=0')).json.error.parameter).toBe('limit');
    });
    it('network= keeps to its members: NET1 holds RT05, a network without it shows none of its changes', async () => {
      const net1 = await call(undefined, 'GET', '/api/changes?network=NET1');
      const codes = net1.json.events.flatMap((event: { changes: { organisation: { code: string } }[] }) => event.changes.map((change) => change.organisation.code));
      expect(codes).toContain('RT05');
      expect(codes.every((code: string) => Number(code.slice(2)) <= 10)).toBe(true);
    });
  });
});
