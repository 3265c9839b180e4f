import { eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashToken } from '../../api/auth/tokens';
import { createApiToken } from '../../api/auth/tokens.queries';
import { queryRows, schema } from '../../db';
import { describeDatabase } from '../support/database';
import { stackTracePattern } from '../support/raw-observations';

/**
 * The first write routes: tokens made and revoked through the API under the role guard, each recorded in the
 * audit trail that only an admin may read. Without the guard a viewer's token, or the anonymous local viewer,
 * could mint tokens; without the audit nobody could say who did.
 */
describeDatabase('tokens and audit', (getDatabase) => {
  const tokens: Record<'viewer' | 'analyst' | 'analystReadOnly' | 'admin', string> = {} as never;
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });

  beforeAll(async () => {
    const { db } = getDatabase();
    const people = await db
      .insert(schema.users)
      .values([
        { subject: 'viewer@example.nhs.uk', role: 'viewer' },
        { subject: 'analyst@example.nhs.uk', role: 'analyst' },
        { subject: 'admin@example.nhs.uk', role: 'admin' },
      ])
      .returning();
    const id = (role: string) => people.find((user) => user.role === role)!.id;
    tokens.viewer = (await createApiToken(db, { userId: id('viewer'), scopes: ['read', 'write'], days: 1 })).token;
    tokens.analyst = (await createApiToken(db, { userId: id('analyst'), scopes: ['read', 'write'], days: 1 })).token;
    tokens.analystReadOnly = (await createApiToken(db, { userId: id('analyst'), scopes: ['read'], days: 1 })).token;
    tokens.admin = (await createApiToken(db, { userId: id('admin'), scopes: ['read', 'write'], days: 1 })).token;
  });

  // Every call says it is JSON: the CSRF check refuses a bodiless write without an Origin as a possible form post.
  const call = (token: string | undefined, method: string, path: string, body?: unknown) =>
    app().request(path, {
      method,
      headers: { ...(token === undefined ? {} : { authorization: `Bearer ${token}` }), 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function expectError(response: Response, status: number, code: string) {
    const text = await response.text();
    expect(response.status, text).toBe(status);
    expect(JSON.parse(text).error.code).toBe(code);
    expect(text).not.toMatch(stackTracePattern);
  }

  it('refuses token creation to the anonymous local viewer (401), a viewer (403) and a read-only token (403)', async () => {
    const request = { scopes: ['read'], days: 30 };
    await expectError(await call(undefined, 'POST', '/api/tokens', request), 401, 'unauthenticated');
    await expectError(await call(tokens.viewer, 'POST', '/api/tokens', request), 403, 'forbidden');
    await expectError(await call(tokens.analystReadOnly, 'POST', '/api/tokens', request), 403, 'insufficient_scope');
    await expectError(await call(tokens.analyst, 'POST', '/api/tokens', { scopes: ['admin'], days: 30 }), 400, 'invalid_parameter');
    await expectError(await call(tokens.analyst, 'POST', '/api/tokens', { scopes: ['read'], days: 3650 }), 400, 'invalid_parameter');
  });

  it('makes a token shown once and stored only as its hash, which works until it is revoked', async () => {
    const response = await call(tokens.analyst, 'POST', '/api/tokens', { name: 'nightly load', scopes: ['read'], days: 30 });
    expect(response.status).toBe(201);
    const created = await response.json();
    expect(created.token).toMatch(/^va_[A-Za-z0-9_-]{43}$/);
    expect(created.token.startsWith(created.prefix)).toBe(true);
    const stored = await queryRows<{ row: string }>(getDatabase().db, sql`select row_to_json(t)::text as row from api_tokens t where id = ${created.id}`);
    expect(stored[0].row).not.toContain(created.token);
    expect(stored[0].row).toContain(hashToken(created.token));

    expect((await call(created.token, 'GET', '/api/networks')).status).toBe(200);
    const listed = await (await call(tokens.analyst, 'GET', '/api/tokens')).json();
    expect(listed.tokens[0]).toMatchObject({ id: created.id, name: 'nightly load', prefix: created.prefix, scopes: ['read'], revokedAt: null });
    expect(listed.tokens[0].lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.token);
    await expectError(await call(undefined, 'GET', '/api/tokens'), 401, 'unauthenticated');
    // A viewer may not revoke at all; the owner may, once.
    await expectError(await call(tokens.viewer, 'DELETE', `/api/tokens/${created.id}`), 403, 'forbidden');
    const revoke = await call(tokens.analyst, 'DELETE', `/api/tokens/${created.id}`);
    expect(revoke.status).toBe(200);
    await expectError(await call(created.token, 'GET', '/api/networks'), 401, 'invalid_token');
    await expectError(await call(tokens.analyst, 'DELETE', `/api/tokens/${created.id}`), 404, 'not_found');
  });

  it("lets an analyst revoke only their own tokens and an admin anyone's", async () => {
    const { db } = getDatabase();
    const [admin] = await db.select().from(schema.users).where(eq(schema.users.role, 'admin'));
    const adminsToken = await createApiToken(db, { userId: admin.id, scopes: ['read'], days: 1 });
    await expectError(await call(tokens.analyst, 'DELETE', `/api/tokens/${adminsToken.id}`), 404, 'not_found');
    const created = await (await call(tokens.analyst, 'POST', '/api/tokens', { scopes: ['read'] })).json();
    expect((await call(tokens.admin, 'DELETE', `/api/tokens/${created.id}`)).status).toBe(200);
  });

  it('lists the audit trail to admins only, newest first, by action, time and page', async () => {
    await expectError(await call(undefined, 'GET', '/api/audit'), 401, 'unauthenticated');
    await expectError(await call(tokens.analyst, 'GET', '/api/audit'), 403, 'forbidden');
    await call(tokens.analyst, 'POST', '/api/tokens', { scopes: ['read'] });

    const all = await (await call(tokens.admin, 'GET', '/api/audit')).json();
    expect(all.events.length).toBeGreaterThanOrEqual(2);
    expect(all.events[0]).toMatchObject({ action: 'token_created', actor: 'analyst@example.nhs.uk', outcome: 'success' });
    expect(JSON.stringify(all)).not.toMatch(/va_[A-Za-z0-9_-]{43}/);
    const times = all.events.map((event: { occurredAt: string }) => event.occurredAt);
    expect([...times].sort().reverse()).toEqual(times);

    const revoked = await (await call(tokens.admin, 'GET', '/api/audit?action=token_revoked')).json();
    expect(revoked.events.length).toBeGreaterThanOrEqual(1);
    expect(revoked.events.every((event: { action: string }) => event.action === 'token_revoked')).toBe(true);

    const page = await (await call(tokens.admin, 'GET', '/api/audit?limit=1&offset=1')).json();
    expect(page).toMatchObject({ limit: 1, offset: 1, more: true });
    expect(page.events[0].id).toBe(all.events[1].id);

    const future = await (await call(tokens.admin, 'GET', `/api/audit?from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`)).json();
    expect(future.events).toEqual([]);
    await expectError(await call(tokens.admin, 'GET', '/api/audit?from=yesterday'), 400, 'invalid_parameter');
  });

  it('asks every anonymous request for a token when local mode is off, but still answers the health check', async () => {
    const closed = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, config: { auth: 'required' } });
    await expectError(await closed.request('/api/networks'), 401, 'unauthenticated');
    expect((await closed.request('/api/health')).status).toBe(200);
    expect((await closed.request('/api/networks', { headers: { authorization: `Bearer ${tokens.viewer}` } })).status).toBe(200);
  });
});
