import { and, eq, gt } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { createSession } from '../../api/auth/sessions.queries';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { describeDatabase } from '../support/database';
import { stackTracePattern } from '../support/raw-observations';

/**
 * Administration through the API: users' roles and network grants, and network restriction, for admins only.
 * What breaks without the code under test: a viewer or analyst could grant themselves networks or roles; a
 * change could be cached in a session and outlive a demotion; the last admin could lock everyone out; a
 * change could happen without its audit row (or a no-op leave a misleading one).
 */
describeDatabase('admin: users, networks and their audit', (getDatabase) => {
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  const tokens: Record<'viewer' | 'analyst' | 'admin', string> = {} as never;
  const ids: Record<'viewer' | 'analyst' | 'admin', number> = {} as never;
  let analystSession: string;
  let adminSession: string;
  let started: Date;

  beforeAll(async () => {
    const { db } = getDatabase();
    await db.insert(schema.networks).values([
      { code: 'NET-OPEN', name: 'An open network', kind: 'strategic_clinical_network' as const },
      { code: 'NET-SECRET', name: 'A restricted network', kind: 'strategic_clinical_network' as const, restricted: true },
      { code: 'NET-LATER', name: 'A network restricted in a test', kind: 'operational_delivery_network' as const },
    ]);
    const people = await db
      .insert(schema.users)
      .values([
        { subject: 'viewer@example.nhs.uk', role: 'viewer' as const },
        { subject: 'analyst@example.nhs.uk', displayName: 'Ana Analyst', role: 'analyst' as const },
        { subject: 'admin@example.nhs.uk', displayName: 'Ada Admin', role: 'admin' as const },
      ])
      .returning();
    for (const user of people) ids[user.role] = user.id;
    for (const role of ['viewer', 'analyst', 'admin'] as const) tokens[role] = (await createApiToken(db, { userId: ids[role], scopes: ['read', 'write'], days: 1 })).token;
    analystSession = (await createSession(db, ids.analyst)).secret;
    adminSession = (await createSession(db, ids.admin)).secret;
    started = new Date(Date.now() - 1000);
  });

  const call = (token: string | undefined, method: string, path: string, body?: unknown) =>
    app().request(path, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  const withSession = (secret: string, method: string, path: string, body?: unknown) =>
    app().request(path, { method, headers: { cookie: `va_session=${secret}`, 'content-type': 'application/json', origin: 'http://localhost' }, body: body === undefined ? undefined : JSON.stringify(body) });
  /** A browser's plain form post: urlencoded, a navigation, from this server's origin unless told otherwise. */
  const form = (secret: string, path: string, fields: [string, string][], origin = 'http://localhost') =>
    app().request(path, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: `va_session=${secret}`, 'content-type': 'application/x-www-form-urlencoded', origin, 'sec-fetch-mode': 'navigate' },
      body: new URLSearchParams(fields).toString(),
    });

  async function expectError(response: Response, status: number, code: string) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(JSON.parse(text).error.code).toBe(code);
    expect(text).not.toMatch(stackTracePattern);
    expect(text).not.toMatch(/\b(select|insert|update|delete)\b.*\b(from|into|set|where)\b/i);
  }

  /** The audit rows this suite's changes wrote, oldest first. */
  const auditRows = (action: string) =>
    getDatabase()
      .db.select({ actor: schema.auditEvents.actor, userId: schema.auditEvents.userId, details: schema.auditEvents.details, outcome: schema.auditEvents.outcome })
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, action), gt(schema.auditEvents.occurredAt, started)))
      .orderBy(schema.auditEvents.id);

  it('answers every admin route to admins only: anonymous 401, viewer and analyst 403', async () => {
    const routes: [string, string, unknown?][] = [
      ['GET', '/api/admin/users'],
      ['PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' }],
      ['POST', `/api/admin/users/${ids.viewer}`],
      ['GET', '/api/admin/networks'],
      ['PATCH', '/api/admin/networks/NET-OPEN', { restricted: false }],
      ['POST', '/api/admin/networks/NET-OPEN'],
    ];
    for (const [method, path, body] of routes) {
      await expectError(await call(undefined, method, path, body), 401, 'unauthenticated');
      await expectError(await call(tokens.viewer, method, path, body), 403, 'forbidden');
      await expectError(await call(tokens.analyst, method, path, body), 403, 'forbidden');
      await expectError(await withSession(analystSession, method, path, body), 403, 'forbidden');
    }
    expect((await call(tokens.admin, 'GET', '/api/admin/users')).status).toBe(200);
    expect((await call(tokens.admin, 'GET', '/api/admin/networks')).status).toBe(200);
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' })).status).toBe(200);
    expect((await call(tokens.admin, 'PATCH', '/api/admin/networks/NET-OPEN', { restricted: false })).status).toBe(200);
    // Those two were no-ops: nothing audited.
    expect(await auditRows('user_changed')).toEqual([]);
    expect(await auditRows('setting_changed')).toEqual([]);
  });

  it('lists users with their role, grants and live sessions and tokens, and networks with their members', async () => {
    const { users } = await (await call(tokens.admin, 'GET', '/api/admin/users')).json();
    expect(users.map((user: { subject: string }) => user.subject)).toEqual(['admin@example.nhs.uk', 'analyst@example.nhs.uk', 'viewer@example.nhs.uk']);
    expect(users[1]).toMatchObject({ id: ids.analyst, name: 'Ana Analyst', email: null, issuer: null, role: 'analyst', networks: [], lastSignInAt: null, liveSessions: 1, liveTokens: 1 });
    expect(typeof users[1].createdAt).toBe('string');
    const { networks } = await (await call(tokens.admin, 'GET', '/api/admin/networks')).json();
    expect(networks.map((network: { code: string; restricted: boolean }) => [network.code, network.restricted])).toEqual([
      ['NET-LATER', false],
      ['NET-OPEN', false],
      ['NET-SECRET', true],
    ]);
  });

  it("grants a restricted network to an analyst: their token and session see it at the next request, and it is audited", async () => {
    await expectError(await call(tokens.analyst, 'GET', '/api/networks/NET-SECRET'), 404, 'not_found');
    await expectError(await withSession(analystSession, 'GET', '/api/networks/NET-SECRET'), 404, 'not_found');
    const response = await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.analyst}`, { networks: ['NET-SECRET'] });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ changed: true, user: { role: 'analyst', networks: [{ code: 'NET-SECRET', restricted: true }] } });
    expect((await call(tokens.analyst, 'GET', '/api/networks/NET-SECRET')).status).toBe(200);
    expect((await withSession(analystSession, 'GET', '/api/networks/NET-SECRET')).status).toBe(200);
    expect(await auditRows('user_changed')).toEqual([
      {
        actor: 'admin@example.nhs.uk',
        userId: ids.admin,
        outcome: 'success',
        details: { subject: 'analyst@example.nhs.uk', role: 'analyst', networks: ['NET-SECRET'], before: { role: 'analyst', networks: [] } },
      },
    ]);
    // Granting it again changes nothing and writes nothing.
    expect(await (await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.analyst}`, { networks: ['NET-SECRET', 'NET-SECRET'] })).json()).toMatchObject({ changed: false });
    expect(await auditRows('user_changed')).toHaveLength(1);
  });

  it('a role change takes effect at the next request: a promoted viewer may write, a demoted analyst may not', async () => {
    const tokenRequest = { scopes: ['read'], days: 1 };
    await expectError(await call(tokens.viewer, 'POST', '/api/tokens', tokenRequest), 403, 'forbidden');
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'analyst' })).status).toBe(200);
    expect((await call(tokens.viewer, 'POST', '/api/tokens', tokenRequest)).status).toBe(201);

    expect((await withSession(analystSession, 'POST', '/api/tokens', tokenRequest)).status).toBe(201);
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.analyst}`, { role: 'viewer' })).status).toBe(200);
    await expectError(await withSession(analystSession, 'POST', '/api/tokens', tokenRequest), 403, 'forbidden');
    await expectError(await call(tokens.analyst, 'POST', '/api/tokens', tokenRequest), 403, 'forbidden');
    // The grant outlives the demotion: grants and role are separate.
    expect((await call(tokens.analyst, 'GET', '/api/networks/NET-SECRET')).status).toBe(200);
    const rows = await auditRows('user_changed');
    expect(rows.slice(-2).map((row) => row.details)).toEqual([
      { subject: 'viewer@example.nhs.uk', role: 'analyst', networks: [], before: { role: 'viewer', networks: [] } },
      { subject: 'analyst@example.nhs.uk', role: 'viewer', networks: ['NET-SECRET'], before: { role: 'analyst', networks: ['NET-SECRET'] } },
    ]);
    // Back as they were, for the tests after this one (each sets what it needs; this keeps the names honest).
    await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' });
    await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.analyst}`, { role: 'analyst' });
  });

  it('restricting a network hides it from non-members at once and is audited as the ETL audits networks.csv', async () => {
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-LATER')).status).toBe(200);
    expect((await app().request('/api/networks/NET-LATER')).status).toBe(200);
    const response = await call(tokens.admin, 'PATCH', '/api/admin/networks/NET-LATER', { restricted: true });
    expect(await response.json()).toMatchObject({ changed: true, network: { code: 'NET-LATER', restricted: true, members: [] } });
    await expectError(await call(tokens.viewer, 'GET', '/api/networks/NET-LATER'), 404, 'not_found');
    await expectError(await app().request('/api/networks/NET-LATER'), 404, 'not_found');
    expect((await call(tokens.admin, 'GET', '/api/networks/NET-LATER')).status).toBe(200);
    expect(await auditRows('setting_changed')).toEqual([
      { actor: 'admin@example.nhs.uk', userId: ids.admin, outcome: 'success', details: { setting: 'network.restricted', changes: [{ network: 'NET-LATER', restricted: true }] } },
    ]);
    expect(await (await call(tokens.admin, 'PATCH', '/api/admin/networks/NET-LATER', { restricted: true })).json()).toMatchObject({ changed: false });
    expect(await auditRows('setting_changed')).toHaveLength(1);
    await expectError(await call(tokens.admin, 'PATCH', '/api/admin/networks/NO-SUCH', { restricted: true }), 404, 'not_found');
  });

  it('refuses to demote the last admin (409), and unknown networks (400 naming them), changing nothing', async () => {
    const before = (await auditRows('user_changed')).length;
    await expectError(await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.admin}`, { role: 'analyst' }), 409, 'last_admin');
    const unknown = await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { networks: ['NET-OPEN', 'NOPE-1', 'NOPE-2'] });
    const text = await unknown.text();
    expect(unknown.status).toBe(400);
    expect(JSON.parse(text).error).toMatchObject({ code: 'unknown_network', parameter: 'networks' });
    expect(JSON.parse(text).error.message).toContain('"NOPE-1", "NOPE-2"');
    await expectError(await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'owner' }), 400, 'invalid_parameter');
    await expectError(await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, {}), 400, 'invalid_parameter');
    await expectError(await call(tokens.admin, 'PATCH', '/api/admin/users/999999', { role: 'viewer' }), 404, 'not_found');
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-LATER')).status).toBe(404);
    expect(await auditRows('user_changed')).toHaveLength(before);
    const [admin] = await getDatabase().db.select().from(schema.users).where(eq(schema.users.id, ids.admin));
    expect(admin.role).toBe('admin');

    // With a second admin, the first may step down; then the second is the last.
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'admin' })).status).toBe(200);
    expect((await call(tokens.viewer, 'PATCH', `/api/admin/users/${ids.admin}`, { role: 'analyst' })).status).toBe(200);
    await expectError(await call(tokens.admin, 'GET', '/api/admin/users'), 403, 'forbidden');
    await expectError(await call(tokens.viewer, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' }), 409, 'last_admin');
    expect((await call(tokens.viewer, 'PATCH', `/api/admin/users/${ids.admin}`, { role: 'admin' })).status).toBe(200);
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' })).status).toBe(200);
  });

  it('lets only one of two admins demoting each other at once succeed, so an admin always remains', async () => {
    expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'admin' })).status).toBe(200);
    // On PostgreSQL the two run in parallel and the admin rows' locks serialise them; PGlite runs them in turn.
    const [first, second] = await Promise.all([
      call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' }),
      call(tokens.viewer, 'PATCH', `/api/admin/users/${ids.admin}`, { role: 'viewer' }),
    ]);
    const statuses = [first.status, second.status].sort();
    expect(statuses, `${await first.text()} ${await second.text()}`).toEqual([200, 409]);
    const admins = await getDatabase().db.select().from(schema.users).where(eq(schema.users.role, 'admin'));
    expect(admins).toHaveLength(1);
    // Whichever won, put the roles back as the later tests expect them.
    const token = admins[0].id === ids.admin ? tokens.admin : tokens.viewer;
    if (admins[0].id === ids.viewer) {
      expect((await call(token, 'PATCH', `/api/admin/users/${ids.admin}`, { role: 'admin' })).status).toBe(200);
      expect((await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { role: 'viewer' })).status).toBe(200);
    }
  });

  it('takes the dashboard’s plain form posts with a 303 back to the page, and refuses cross-site ones', async () => {
    const granted = await form(adminSession, `/api/admin/users/${ids.viewer}`, [
      ['role', 'viewer'],
      ['networks', 'NET-SECRET'],
      ['networks', 'NET-LATER'],
    ]);
    expect(granted.status).toBe(303);
    expect(granted.headers.get('location')).toBe(`/admin/users?user=${ids.viewer}&saved=changed`);
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-LATER')).status).toBe(200);
    // No box ticked: every grant goes.
    expect((await form(adminSession, `/api/admin/users/${ids.viewer}`, [['role', 'viewer']])).headers.get('location')).toBe(`/admin/users?user=${ids.viewer}&saved=changed`);
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-LATER')).status).toBe(404);

    const refused = await form(adminSession, `/api/admin/users/${ids.admin}`, [['role', 'viewer']]);
    expect(refused.status).toBe(303);
    expect(refused.headers.get('location')).toBe(`/admin/users?user=${ids.admin}&error=last_admin`);
    const unknown = await form(adminSession, `/api/admin/users/${ids.viewer}`, [['role', 'viewer'], ['networks', 'NOPE']]);
    expect(unknown.headers.get('location')).toBe(`/admin/users?user=${ids.viewer}&error=unknown_network`);
    const notAdmin = await form(analystSession, '/api/admin/networks/NET-OPEN', [['restricted', 'true']]);
    expect(notAdmin.headers.get('location')).toBe('/admin/networks?network=NET-OPEN&error=forbidden');

    const lifted = await form(adminSession, '/api/admin/networks/NET-LATER', [['restricted', 'false']]);
    expect(lifted.status).toBe(303);
    expect(lifted.headers.get('location')).toBe('/admin/networks?network=NET-LATER&saved=changed');
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-LATER')).status).toBe(200);

    const before = (await auditRows('setting_changed')).length;
    await expectError(await form(adminSession, '/api/admin/networks/NET-OPEN', [['restricted', 'true']], 'https://evil.example'), 403, 'cross_site_request');
    await expectError(await form(adminSession, `/api/admin/users/${ids.viewer}`, [['role', 'admin']], 'https://evil.example'), 403, 'cross_site_request');
    expect(await auditRows('setting_changed')).toHaveLength(before);
    expect((await call(tokens.viewer, 'GET', '/api/networks/NET-OPEN')).status).toBe(200);
  });

  it('answers an admin’s hostile ids, codes and bodies with a 4xx JSON error, never a 500', async () => {
    const hostile = ['%00', 'a%00b', '..%2F..', "'%20OR%201=1", '9'.repeat(400), '-1', '1.5', '%F0%9F%92%A9', 'x'.repeat(300)];
    for (const value of hostile) {
      for (const path of [`/api/admin/users/${value}`, `/api/admin/networks/${value}`]) {
        for (const body of [{ role: 'viewer' }, { restricted: true }, { networks: [value, '\u0000'] }, { role: value }, null]) {
          const response = await call(tokens.admin, 'PATCH', path, body);
          const text = await response.text();
          expect(response.status, `${path} ${JSON.stringify(body)}: ${text}`).toBeGreaterThanOrEqual(400);
          expect(response.status, `${path} ${JSON.stringify(body)}: ${text}`).toBeLessThan(500);
          expect(text).not.toMatch(stackTracePattern);
        }
        const posted = await form(adminSession, path, [['role', value], ['networks', 'a\u0000'], ['restricted', value]]);
        expect(posted.status, path).toBe(303);
        expect(posted.headers.get('location')).toMatch(/error=(invalid_parameter|not_found)$/);
      }
    }
    const nul = await call(tokens.admin, 'PATCH', `/api/admin/users/${ids.viewer}`, { networks: ['NET-OPEN\u0000'] });
    expect(nul.status).toBe(400);
  });

  it('lists the admin’s changes in the audit trail with their name, filtered by action and outcome', async () => {
    const listed = await (await call(tokens.admin, 'GET', '/api/audit?action=setting_changed&outcome=success')).json();
    expect(listed.events.length).toBeGreaterThanOrEqual(2);
    expect(listed.events[0]).toMatchObject({ actor: 'admin@example.nhs.uk', actorName: 'Ada Admin', action: 'setting_changed', outcome: 'success' });
    const failures = await (await call(tokens.admin, 'GET', '/api/audit?outcome=failure')).json();
    expect(failures.events).toEqual([]);
    await expectError(await call(tokens.admin, 'GET', '/api/audit?outcome=maybe'), 400, 'invalid_parameter');
  });
});
