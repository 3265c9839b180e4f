import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { addUser, createTokenFor } from '../../etl/access/access';
import { auditRefusals } from '../../etl/load/audit-refusals';
import { rollbackBatch } from '../../etl/load/batches';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';

/**
 * The ETL's side of the audit trail and of access: a load and a rollback each write their audit row in their
 * own transaction (a refused one is recorded as a failure after its rollback), and the bootstrap commands make users and tokens the API
 * accepts, with no sign-in page.
 */
describeDatabase('ETL audit and access bootstrap', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  let handle: TestDatabase;

  const load = async (name: string, content: string, loadedBy: string) => {
    const path = files.write(name, content);
    return loadObservations(handle, await openObservationSource(path, {}), path, { loadedBy });
  };
  const audit = () => handle.db.select().from(schema.auditEvents).orderBy(asc(schema.auditEvents.id));

  beforeAll(async () => {
    handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']));
    await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
  });

  it('records a load and its rollback with who did them, and nothing for a refused load', async () => {
    const loaded = await load('readmit.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q4,10,100\n', 'alice');
    await expect(load('bad.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q3,101,100\n', 'alice')).rejects.toThrow();
    await rollbackBatch(handle, loaded.batchId, 'bob');
    const events = await audit();
    expect(events.map((event) => [event.actor, event.action, event.outcome])).toEqual([
      ['alice', 'load', 'success'],
      ['bob', 'rollback', 'success'],
    ]);
    expect(events[0].details).toMatchObject({ batchId: loaded.batchId, file: 'readmit.csv', rows: 1 });
    expect(events[1].details).toMatchObject({ batchId: loaded.batchId, removedRows: 1 });
  });

  it('records a refused load and a refused rollback as failures, after their rollback, as `etl` runs them', async () => {
    const before = (await audit()).length;
    const bad = 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q2,101,100\nREADMIT,RZB,2023/24 Q2,-1,100\n';
    await expect(auditRefusals(handle, 'load', 'dave', { file: 'bad.csv' }, () => load('bad.csv', bad, 'dave'))).rejects.toThrow('nothing was loaded');
    await expect(auditRefusals(handle, 'rollback', 'dave', { batchId: 99999 }, () => rollbackBatch(handle, 99999, 'dave'))).rejects.toThrow('there is no load batch 99999');
    const loaded = await auditRefusals(handle, 'load', 'dave', { file: 'good.csv' }, () =>
      load('good.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q2,10,100\n', 'dave'),
    );
    const events = (await audit()).slice(before);
    expect(events.map((event) => [event.actor, event.action, event.outcome, event.details])).toEqual([
      ['dave', 'load', 'failure', { file: 'bad.csv', problems: 2, reason: expect.stringContaining('numerator') }],
      ['dave', 'rollback', 'failure', { batchId: 99999, reason: 'there is no load batch 99999' }],
      ['dave', 'load', 'success', expect.objectContaining({ batchId: loaded.batchId, file: 'good.csv' })],
    ]);
  });

  it('adds a user with a restricted network and prints a token that the API accepts', async () => {
    await handle.db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, 'ODN1'));
    await expect(addUser(handle, { subject: 'lead@example.nhs.uk', role: 'owner', networks: [] }, 'ops')).rejects.toThrow('--role takes viewer, analyst, admin');
    await expect(addUser(handle, { subject: 'lead@example.nhs.uk', role: 'viewer', networks: ['NOPE'] }, 'ops')).rejects.toThrow('no network with code "NOPE"');
    await addUser(handle, { subject: 'lead@example.nhs.uk', role: 'viewer', networks: ['ODN1'] }, 'ops');
    await expect(createTokenFor(handle, { subject: 'lead@example.nhs.uk', scopes: 'read,admin', days: 90 }, 'ops')).rejects.toThrow('--scopes');
    const { token } = await createTokenFor(handle, { subject: 'lead@example.nhs.uk', scopes: 'read', days: 90 }, 'ops');

    const app = createApp({ db: handle.db, databaseKind: handle.kind });
    expect((await app.request('/api/networks/ODN1')).status).toBe(404);
    expect((await app.request('/api/networks/ODN1', { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await audit()).slice(-2).map((event) => [event.actor, event.action])).toEqual([
      ['ops', 'user_changed'],
      ['ops', 'token_created'],
    ]);
    expect((await audit()).at(-2)!.details).toEqual({ subject: 'lead@example.nhs.uk', role: 'viewer', networks: ['ODN1'], before: null });
    // Run again with a new role: the row says what it was, as a change in the dashboard's admin pages does.
    await addUser(handle, { subject: 'lead@example.nhs.uk', role: 'analyst', networks: [] }, 'ops');
    expect((await audit()).at(-1)!.details).toEqual({ subject: 'lead@example.nhs.uk', role: 'analyst', networks: ['ODN1'], before: { role: 'viewer', networks: ['ODN1'] } });
  });

  it('records restricting a network as a setting change, once', async () => {
    const file = files.write('networks-odn2.csv', 'code,name,kind,description,restricted\nODN2,Second ODN,operational_delivery_network,,true\n');
    await loadNetworks(handle, file, 'carol');
    await loadNetworks(handle, file, 'carol');
    const changes = (await audit()).filter((event) => event.action === 'setting_changed');
    expect(changes.map((event) => [event.actor, event.details])).toEqual([
      ['carol', { setting: 'network.restricted', file: 'networks-odn2.csv', changes: [{ network: 'ODN2', restricted: true }] }],
    ]);
  });
});
