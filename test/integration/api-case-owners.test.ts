import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hqipOutlierPolicy } from '../../api/cases/case-policy';
import { noticeOverdueCases } from '../../api/changes/overdue-notices';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { migrationsFolder } from '../../db/migrate';
import { baseFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';

/**
 * A case's owner is a user, not a name: the case keeps the owner's user id and display name, the owner is chosen
 * among the users who may see the network (GET /api/cases/owners), anyone else is a 422 naming ownerUserId, and
 * an overdue notice reaches the owner by id (not another user who happens to share the name). Migration 0013
 * gives existing cases the user whose display name or subject is the owner's name, where exactly one matches.
 */
describeDatabase('API case owners as users', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  const people = {} as Record<'lead' | 'viewer' | 'admin' | 'granted' | 'outsider' | 'twinA' | 'twinB', { id: number; token: string }>;
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: response.status === 204 ? null : await response.json() };
  };

  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
    const db = getDatabase().db;
    const person = async (subject: string, displayName: string | null, role: 'viewer' | 'analyst' | 'admin') => {
      const [user] = await db.insert(schema.users).values({ subject, displayName, role }).returning();
      return { id: user.id, token: (await createApiToken(db, { userId: user.id, scopes: ['read', 'write'], days: 1 })).token };
    };
    people.lead = await person('lead@example.nhs.uk', 'Lena Lead', 'analyst');
    people.viewer = await person('viewer@example.nhs.uk', 'Vic Viewer', 'viewer');
    people.admin = await person('admin@example.nhs.uk', 'Ada Admin', 'admin');
    people.granted = await person('granted@example.nhs.uk', null, 'analyst');
    people.outsider = await person('outsider@example.nhs.uk', 'Oz Outsider', 'analyst');
    // Two users with one display name: a name cannot tell them apart, an id can.
    people.twinA = await person('sam.a@example.nhs.uk', 'Sam Same', 'analyst');
    people.twinB = await person('sam.b@example.nhs.uk', 'Sam Same', 'analyst');
    const [secret] = await db.select().from(schema.networks).where(eq(schema.networks.code, 'SECRET'));
    await db.insert(schema.userNetworks).values([
      { userId: people.lead.id, networkId: secret.id },
      { userId: people.granted.id, networkId: secret.id },
    ]);
  });
  afterAll(() => fixture?.files.remove());

  const opening = (network: string, period: string, extra: Record<string, unknown> = {}) => ({ network, indicator: 'READMIT', organisation: 'RT05', period, ...extra });

  it('lists as possible owners everyone for a public network, and only the granted and admins for a restricted one; viewers may not ask', async () => {
    const all = await getDatabase().db.select({ id: schema.users.id }).from(schema.users);
    const net1 = await call(people.lead.token, 'GET', '/api/cases/owners?network=NET1');
    expect(net1.status).toBe(200);
    expect(net1.json.owners.map((one: { id: number }) => one.id).sort((a: number, b: number) => a - b)).toEqual(all.map((one) => one.id).sort((a, b) => a - b));
    const secret = await call(people.lead.token, 'GET', '/api/cases/owners?network=SECRET');
    expect(secret.json.owners.map((one: { id: number }) => one.id).sort((a: number, b: number) => a - b)).toEqual([people.lead.id, people.admin.id, people.granted.id].sort((a, b) => a - b));
    // Shown by display name, else subject, in that order.
    expect(secret.json.owners.map((one: { name: string }) => one.name)).toEqual(['Ada Admin', 'granted@example.nhs.uk', 'Lena Lead']);
    expect((await call(people.viewer.token, 'GET', '/api/cases/owners?network=NET1')).status).toBe(403);
    const hidden = await call(people.outsider.token, 'GET', '/api/cases/owners?network=SECRET');
    expect([hidden.status, hidden.json.error.parameter]).toEqual([404, 'network']);
    const bad = await call(people.lead.token, 'GET', '/api/cases/owners');
    expect([bad.status, bad.json.error.parameter]).toEqual([400, 'network']);
  });

  it('opens a case owned by its opener as a user by default, or by the user chosen, keeping their name', async () => {
    const byDefault = await call(people.lead.token, 'POST', '/api/cases', opening('NET1', '2024/25 Q1'));
    expect(byDefault.status).toBe(201);
    expect(byDefault.json).toMatchObject({ owner: 'Lena Lead', ownerUserId: people.lead.id });
    const chosen = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q1', { ownerUserId: people.granted.id }));
    expect(chosen.status).toBe(201);
    expect(chosen.json).toMatchObject({ owner: 'granted@example.nhs.uk', ownerUserId: people.granted.id });
    const [row] = await getDatabase().db.select().from(schema.outlierCases).where(eq(schema.outlierCases.id, chosen.json.id));
    expect([row.owner, row.ownerUserId]).toEqual(['granted@example.nhs.uk', people.granted.id]);
  });

  it('refuses an owner who does not exist or may not see the network with a 422 naming ownerUserId, and both kinds of owner with a 400', async () => {
    for (const ownerUserId of [people.outsider.id, 2_000_000]) {
      const refused = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q2', { ownerUserId }));
      expect([refused.status, refused.json.error.code, refused.json.error.parameter]).toEqual([422, 'invalid_owner', 'ownerUserId']);
    }
    // The outsider and a user who does not exist are refused in the same words, bar the id.
    const a = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q2', { ownerUserId: people.outsider.id }));
    const b = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q2', { ownerUserId: 2_000_000 }));
    expect(JSON.stringify(a.json).replace(String(people.outsider.id), 'N')).toBe(JSON.stringify(b.json).replace('2000000', 'N'));
    const both = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q2', { ownerUserId: people.lead.id, owner: 'Someone' }));
    expect([both.status, both.json.error.parameter]).toEqual([400, 'ownerUserId']);
    const notNumber = await call(people.lead.token, 'POST', '/api/cases', opening('SECRET', '2024/25 Q2', { ownerUserId: 'lena' }));
    expect([notNumber.status, notNumber.json.error.parameter]).toEqual([400, 'ownerUserId']);
    expect(await getDatabase().db.select().from(schema.outlierCases).where(sql`${schema.outlierCases.periodId} = (select id from periods where label = '2024/25 Q2')`)).toEqual([]);
  });

  it('changes the owner to another user by id (audited with both ids), and from a plain form back to the case page', async () => {
    const opened = await call(people.lead.token, 'POST', '/api/cases', opening('NET1', '2024/25 Q3'));
    const id = opened.json.id as number;
    const changed = await call(people.lead.token, 'POST', `/api/cases/${id}/owner`, { ownerUserId: people.twinB.id });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ owner: 'Sam Same', ownerUserId: people.twinB.id, changed: true });
    const again = await call(people.lead.token, 'POST', `/api/cases/${id}/owner`, { ownerUserId: people.twinB.id });
    expect(again.json.changed).toBe(false);
    const [audit] = await getDatabase()
      .db.select({ details: schema.auditEvents.details })
      .from(schema.auditEvents)
      .where(sql`${schema.auditEvents.action} = 'case_owner_changed' and (${schema.auditEvents.details} ->> 'caseId')::int = ${id}`);
    expect(audit.details).toMatchObject({ from: 'Lena Lead', fromUserId: people.lead.id, to: 'Sam Same', toUserId: people.twinB.id });
    const missing = await call(people.lead.token, 'POST', `/api/cases/${id}/owner`, {});
    expect([missing.status, missing.json.error.parameter]).toEqual([400, 'ownerUserId']);
    // A name alone is still an owner (someone outside the product), with no user.
    const named = await call(people.lead.token, 'POST', `/api/cases/${id}/owner`, { owner: 'Dr Ola Outside' });
    expect(named.json).toMatchObject({ owner: 'Dr Ola Outside', ownerUserId: null });
    const form = await app().request(`/api/cases/${id}/owner`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.lead.token}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-mode': 'navigate' },
      body: new URLSearchParams({ ownerUserId: String(people.twinA.id), returnTo: `/cases/${id}` }).toString(),
    });
    expect([form.status, form.headers.get('location')]).toEqual([303, `/cases/${id}?saved=1`]);
    const refused = await app().request(`/api/cases/${id}/owner`, {
      method: 'POST',
      headers: { authorization: `Bearer ${people.lead.token}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-mode': 'navigate' },
      body: new URLSearchParams({ ownerUserId: '2000000', returnTo: `/cases/${id}` }).toString(),
    });
    expect([refused.status, refused.headers.get('location')]).toEqual([303, `/cases/${id}?error=invalid_owner`]);
    const [row] = await getDatabase().db.select().from(schema.outlierCases).where(eq(schema.outlierCases.id, id));
    expect([row.owner, row.ownerUserId]).toEqual(['Sam Same', people.twinA.id]);
  });

  it('sends the overdue notice to the owner by id: not to another user of the same name', async () => {
    const db = getDatabase().db;
    const [owned] = await db.select({ id: schema.outlierCases.id }).from(schema.outlierCases).where(eq(schema.outlierCases.ownerUserId, people.twinA.id));
    await db.update(schema.outlierCases).set({ dueOn: '2026-01-05' }).where(eq(schema.outlierCases.id, owned.id));
    const made = await noticeOverdueCases(db, hqipOutlierPolicy, new Date('2026-01-12T12:00:00Z'));
    expect(made).toBe(1);
    const inbox = async (who: keyof typeof people) => (await call(people[who].token, 'GET', '/api/alerts/inbox')).json.digests as { content: { case: { id: number; owner: string } } }[];
    const twinA = await inbox('twinA');
    expect(twinA.map((entry) => [entry.content.case.id, entry.content.case.owner])).toEqual([[owned.id, 'Sam Same']]);
    expect(await inbox('twinB')).toEqual([]);
    expect(await inbox('lead')).toEqual([]);
  });

  it('migration 0013 gives an existing case the user its owner names, where exactly one user has that name', async () => {
    const db = getDatabase().db;
    expect((await call(people.lead.token, 'POST', '/api/cases', opening('NET1', '2024/25 Q4'))).status).toBe(201);
    const backfill = readFileSync(join(migrationsFolder, '0013_case_owner_user.sql'), 'utf8').split('--> statement-breakpoint').at(-1)!;
    const cases = await db.select({ id: schema.outlierCases.id }).from(schema.outlierCases).orderBy(schema.outlierCases.id);
    expect(cases.length).toBeGreaterThanOrEqual(4);
    // As a case was before 0013: a name only.
    const names = ['Lena Lead', 'granted@example.nhs.uk', 'Sam Same', 'Nobody Known'];
    for (const [index, name] of names.entries()) await db.update(schema.outlierCases).set({ owner: name, ownerUserId: null }).where(eq(schema.outlierCases.id, cases[index].id));
    await db.execute(sql.raw(backfill));
    const after = await db.select({ id: schema.outlierCases.id, ownerUserId: schema.outlierCases.ownerUserId }).from(schema.outlierCases).orderBy(schema.outlierCases.id);
    expect(after.slice(0, 4).map((row) => row.ownerUserId)).toEqual([people.lead.id, people.granted.id, null, null]);
  });
});
