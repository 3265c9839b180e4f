import { createServer } from 'node:net';
import { desc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { hashToken } from '../../api/auth/tokens';
import { defaultRoleClaims, type ApiConfig, type SignInConfig } from '../../api/context';
import { queryRows, schema } from '../../db';
import { describeDatabase } from '../support/database';
import { startTestIdentityProvider, type TestIdentityProvider } from '../support/oidc-provider';
import { stackTracePattern } from '../support/raw-observations';
import { SignInBrowser, sessionCookieOf } from '../support/sign-in-flow';

/**
 * OpenID Connect sign-in against a real provider (oidc-provider, in process), the whole protocol with no
 * mocks: the API's redirect, the provider's login and consent pages, its redirect back with a code, the
 * exchange and the ID token's validation. Each test signs in from an address of its own, so the per-address
 * rate limits stay out of each other's way.
 */
describeDatabase('OpenID Connect sign-in', (getDatabase) => {
  const publicUrl = 'https://atlas.example.nhs.uk';
  let provider: TestIdentityProvider;
  let nextAddress = 1;
  const browser = (app: ReturnType<typeof createApp>) => new SignInBrowser(app, `10.7.0.${nextAddress++}`);

  beforeAll(async () => {
    provider = await startTestIdentityProvider({
      redirectUri: `${publicUrl}/api/auth/callback`,
      accounts: {
        'entra-oid-analyst': { name: 'Asha Analyst', email: 'asha.analyst@nhs.net', roles: ['VariationAtlas.Analyst'] },
        'entra-oid-viewer': { name: 'Vic Viewer', email: 'vic.viewer@nhs.net' },
      },
    });
  });
  afterAll(async () => {
    await provider?.close();
  });

  const signInConfig = (overrides: Partial<SignInConfig> = {}): SignInConfig => ({
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    publicUrl,
    roleClaims: defaultRoleClaims,
    ...overrides,
  });
  const app = (config: Partial<ApiConfig> = {}) => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, config: { signIn: signInConfig(), ...config } });

  async function signIn(subject: string, options: { app?: ReturnType<typeof createApp>; returnTo?: string; cookie?: string } = {}) {
    const client = browser(options.app ?? app());
    const callback = await client.authorizeAtProvider(await client.startSignIn(options.returnTo), subject);
    return client.finishSignIn(callback, options.cookie);
  }

  const lastAudit = async (action: string) => {
    const [event] = await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, action)).orderBy(desc(schema.auditEvents.id)).limit(1);
    return event;
  };
  const sessionCount = async () => (await getDatabase().db.select({ id: schema.sessions.id }).from(schema.sessions)).length;
  const me = async (cookie?: string, target = app()) => (await target.request('/api/auth/me', { headers: cookie ? { cookie } : {} })).json();

  async function expectRefused(response: Response, reason: string) {
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe(`/sign-in?error=${reason}`);
    expect(sessionCookieOf(response)).toBeUndefined();
    expect(await lastAudit('sign_in')).toMatchObject({ outcome: 'failure', details: expect.objectContaining({ reason }) });
  }

  it('asks the provider for a code with PKCE (S256), state and nonce, keeping only the hash of the state', async () => {
    const client = browser(app());
    const authorization = await client.startSignIn('/networks/KB-CANCER?period=2025%2F26%20Q2');
    expect(authorization.origin).toBe(provider.issuer);
    const parameters = authorization.searchParams;
    expect(Object.fromEntries(parameters)).toMatchObject({
      response_type: 'code',
      client_id: provider.clientId,
      redirect_uri: `${publicUrl}/api/auth/callback`,
      code_challenge_method: 'S256',
      scope: 'openid profile email',
    });
    expect(parameters.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(parameters.get('state')!.length).toBeGreaterThanOrEqual(43);
    expect(parameters.get('nonce')!.length).toBeGreaterThanOrEqual(43);
    const [stored] = await queryRows<{ row: string }>(getDatabase().db, sql`select row_to_json(r)::text as row from sign_in_requests r where state_hash = ${hashToken(parameters.get('state')!)}`);
    expect(stored.row).not.toContain(parameters.get('state'));
    // The verifier stays here: only its challenge went to the provider.
    expect(JSON.parse(stored.row)).toMatchObject({ return_to: '/networks/KB-CANCER?period=2025%2F26%20Q2' });
    expect(authorization.href).not.toContain(JSON.parse(stored.row).code_verifier);
  });

  it('creates the user at the first sign-in with the role the roles claim maps to, and a hashed session in a strict cookie', async () => {
    const response = await signIn('entra-oid-analyst', { returnTo: '/variation?network=KB-CANCER' });
    expect(response.status, await response.clone().text()).toBe(303);
    expect(response.headers.get('location')).toBe('/variation?network=KB-CANCER');
    const cookie = sessionCookieOf(response)!;
    expect(cookie.attributes.split('; ').sort()).toEqual(['HttpOnly', 'Max-Age=28800', 'Path=/', 'SameSite=Lax', 'Secure']);

    const { db } = getDatabase();
    const [user] = await db.select().from(schema.users).where(eq(schema.users.subject, 'entra-oid-analyst'));
    expect(user).toMatchObject({ role: 'analyst', issuer: provider.issuer, displayName: 'Asha Analyst', email: 'asha.analyst@nhs.net' });
    expect(user.lastSignInAt).toBeInstanceOf(Date);
    const [session] = await queryRows<{ row: string }>(db, sql`select row_to_json(s)::text as row from sessions s where token_hash = ${hashToken(cookie.secret)}`);
    expect(session.row).not.toContain(cookie.secret);

    expect(await lastAudit('sign_in')).toMatchObject({
      actor: 'entra-oid-analyst',
      userId: user.id,
      outcome: 'success',
      details: expect.objectContaining({ issuer: provider.issuer, subject: 'entra-oid-analyst', role: 'analyst', roleSource: 'claim', firstSignIn: true }),
    });
    expect(await me(cookie.pair)).toMatchObject({ kind: 'session', subject: 'entra-oid-analyst', displayName: 'Asha Analyst', role: 'analyst', signInAvailable: true, authMode: 'local' });
  });

  it('reuses the user at the next sign-in, takes the role from the new claim, and ends the session the browser came with', async () => {
    const first = sessionCookieOf(await signIn('entra-oid-analyst'))!;
    provider.accounts.set('entra-oid-analyst', { name: 'Asha Analyst', email: 'asha.analyst@nhs.net', roles: ['VariationAtlas.Viewer', 'VariationAtlas.Admin'] });
    const second = sessionCookieOf(await signIn('entra-oid-analyst', { cookie: first.pair }))!;
    expect(second.secret).not.toBe(first.secret);
    // No session fixation: the cookie the browser brought is worthless now.
    expect(await me(first.pair)).toMatchObject({ kind: 'local' });
    expect(await me(second.pair)).toMatchObject({ kind: 'session', role: 'admin' });
    const users = await getDatabase().db.select().from(schema.users).where(eq(schema.users.subject, 'entra-oid-analyst'));
    expect(users.map((user) => user.role)).toEqual(['admin']);
    expect((await lastAudit('sign_in')).details).toMatchObject({ role: 'admin', roleSource: 'claim', firstSignIn: false });
  });

  it('keeps the stored role when the token has no roles claim, and makes a new user a viewer', async () => {
    const { db } = getDatabase();
    await signIn('entra-oid-viewer');
    expect((await lastAudit('sign_in')).details).toMatchObject({ role: 'viewer', roleSource: 'default' });
    await db.update(schema.users).set({ role: 'analyst' }).where(eq(schema.users.subject, 'entra-oid-viewer'));
    const cookie = sessionCookieOf(await signIn('entra-oid-viewer'))!;
    expect((await lastAudit('sign_in')).details).toMatchObject({ role: 'analyst', roleSource: 'stored' });
    expect(await me(cookie.pair)).toMatchObject({ role: 'analyst' });
  });

  it('refuses a replayed and a forged state, audits both and makes no session', async () => {
    const client = browser(app());
    const callback = await client.authorizeAtProvider(await client.startSignIn(), 'entra-oid-viewer');
    expect((await client.finishSignIn(callback)).status).toBe(303);
    const sessions = await sessionCount();
    await expectRefused(await client.finishSignIn(callback), 'unknown_state');

    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-value-that-was-never-issued');
    await expectRefused(await client.finishSignIn(forged), 'unknown_state');
    await expectRefused(await client.finishSignIn(new URL('/api/auth/callback?code=abc', publicUrl)), 'unknown_state');
    expect(await sessionCount()).toBe(sessions);
  });

  it('refuses a sign-in that took more than 10 minutes', async () => {
    const client = browser(app());
    const authorization = await client.startSignIn();
    const callback = await client.authorizeAtProvider(authorization, 'entra-oid-viewer');
    await getDatabase()
      .db.update(schema.signInRequests)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(schema.signInRequests.stateHash, hashToken(authorization.searchParams.get('state')!)));
    const sessions = await sessionCount();
    await expectRefused(await client.finishSignIn(callback), 'expired_state');
    expect(await sessionCount()).toBe(sessions);
  });

  it("refuses when the person declines at the provider (access_denied) or it answers another error, and the request cannot be used again", async () => {
    const client = browser(app());
    const callback = await client.authorizeAtProvider(await client.startSignIn(), 'entra-oid-viewer', 'abort');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    await expectRefused(await client.finishSignIn(callback), 'access_denied');
    await expectRefused(await client.finishSignIn(callback), 'unknown_state');

    // Any other error the provider sends back is its own problem, named as such.
    const state = (await client.startSignIn()).searchParams.get('state')!;
    await expectRefused(await client.finishSignIn(new URL(`/api/auth/callback?error=temporarily_unavailable&state=${state}`, publicUrl)), 'identity_provider_error');
    expect((await lastAudit('sign_in')).details).toMatchObject({ message: 'The identity provider answered temporarily_unavailable' });
  });

  it('refuses a code exchanged with the wrong PKCE verifier, and an ID token with the wrong nonce', async () => {
    const { db } = getDatabase();
    for (const [column, reason] of [
      ['codeVerifier', 'exchange_failed'],
      ['nonce', 'id_token_invalid'],
    ] as const) {
      const client = browser(app());
      const authorization = await client.startSignIn();
      const callback = await client.authorizeAtProvider(authorization, 'entra-oid-viewer');
      await db
        .update(schema.signInRequests)
        .set({ [column]: 'x'.repeat(43) })
        .where(eq(schema.signInRequests.stateHash, hashToken(authorization.searchParams.get('state')!)));
      await expectRefused(await client.finishSignIn(callback), reason);
    }
  });

  it('refuses a subject that is already an account of another issuer', async () => {
    await getDatabase().db.insert(schema.users).values({ subject: 'entra-oid-elsewhere', issuer: 'https://login.microsoftonline.com/other-tenant/v2.0' });
    provider.accounts.set('entra-oid-elsewhere', { name: 'Someone Else', email: 'else@nhs.net', roles: ['VariationAtlas.Admin'] });
    await expectRefused(await signIn('entra-oid-elsewhere'), 'issuer_mismatch');
    const [user] = await getDatabase().db.select().from(schema.users).where(eq(schema.users.subject, 'entra-oid-elsewhere'));
    expect(user.role).toBe('viewer');
  });

  it('signs in a public client (no secret) by PKCE alone, discovering the provider once for every sign-in', async () => {
    const publicClient = app({ signIn: signInConfig({ clientId: provider.publicClientId, clientSecret: undefined }) });
    const before = provider.discoveries();
    expect(sessionCookieOf(await signIn('entra-oid-viewer', { app: publicClient }))).toBeDefined();
    expect(sessionCookieOf(await signIn('entra-oid-viewer', { app: publicClient }))).toBeDefined();
    expect(provider.discoveries() - before).toBe(1);
  });

  it.each(['//evil.example/path', '/\\evil.example', 'https://evil.example/', '/\r\nSet-Cookie: x=1', 'networks'])('refuses returnTo=%j as an open redirect', async (returnTo) => {
    const response = await app().request(`/api/auth/sign-in?returnTo=${encodeURIComponent(returnTo)}`, { headers: { 'x-forwarded-for': '10.7.1.1' } });
    const text = await response.text();
    expect(response.status, text).toBe(400);
    expect(JSON.parse(text).error).toMatchObject({ code: 'invalid_parameter', parameter: 'returnTo' });
    expect(response.headers.get('location')).toBeNull();
  });

  it('limits sign-ins to 20 a minute per address, answering a JSON 429 with Retry-After', async () => {
    const limited = app();
    const ask = (address: string) => limited.request('/api/auth/sign-in', { headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < 20; i++) expect((await ask('10.7.2.1')).status).toBe(302);
    const refused = await ask('10.7.2.1');
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refused.json()).error.code).toBe('rate_limited');
    expect((await ask('10.7.2.2')).status).toBe(302);
  });

  it('signs out: the session ends, its cookie is cleared, the audit says so; a form from another site is refused', async () => {
    const target = app();
    const cookie = sessionCookieOf(await signIn('entra-oid-viewer', { app: target }))!;
    const crossSite = await target.request('/api/auth/sign-out', { method: 'POST', headers: { cookie: cookie.pair, origin: 'https://evil.example', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(crossSite.status).toBe(403);
    expect(await me(cookie.pair, target)).toMatchObject({ kind: 'session' });

    const response = await target.request('/api/auth/sign-out', { method: 'POST', headers: { cookie: cookie.pair, origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded' } });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/');
    expect(response.headers.getSetCookie().join()).toMatch(/^va_session=;.*Max-Age=0/);
    expect(await me(cookie.pair, target)).toMatchObject({ kind: 'local' });
    const [row] = await getDatabase().db.select().from(schema.sessions).where(eq(schema.sessions.tokenHash, hashToken(cookie.secret)));
    expect(row).toBeUndefined();
    expect(await lastAudit('sign_out')).toMatchObject({ actor: 'entra-oid-viewer', outcome: 'success' });
  });

  it('in required mode answers an anonymous request 401 and a signed-in one 200, and lets anyone sign in', async () => {
    const required = app({ auth: 'required' });
    const anonymous = await required.request('/api/networks');
    expect(anonymous.status).toBe(401);
    expect(await me(undefined, required)).toMatchObject({ kind: 'anonymous', role: null, signInAvailable: true, authMode: 'required' });
    const cookie = sessionCookieOf(await signIn('entra-oid-viewer', { app: required }))!;
    expect((await required.request('/api/networks', { headers: { cookie: cookie.pair } })).status).toBe(200);
  });

  it('shows a member the codes of their restricted networks', async () => {
    const { db } = getDatabase();
    const [network] = await db.insert(schema.networks).values({ code: 'OIDC-RESTRICTED', name: 'Restricted network', kind: 'custom', restricted: true }).returning();
    const [user] = await db.insert(schema.users).values({ subject: 'entra-oid-member', issuer: provider.issuer }).returning();
    await db.insert(schema.userNetworks).values({ userId: user.id, networkId: network.id });
    provider.accounts.set('entra-oid-member', { name: 'Mo Member', email: 'mo@nhs.net' });
    const cookie = sessionCookieOf(await signIn('entra-oid-member'))!;
    expect(await me(cookie.pair)).toMatchObject({ displayName: 'Mo Member', networks: ['OIDC-RESTRICTED'] });
    expect((await app().request('/api/networks/OIDC-RESTRICTED', { headers: { cookie: cookie.pair } })).status).toBe(200);
    expect((await app().request('/api/networks/OIDC-RESTRICTED')).status).toBe(404);
  });

  it('answers a clear 503 when the identity provider cannot be reached, and a 404 when sign-in is not configured', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const { port } = probe.address() as { port: number };
        probe.close(() => resolve(port));
      });
    });
    const unreachable = app({ signIn: signInConfig({ issuer: `http://127.0.0.1:${closedPort}` }) });
    const response = await unreachable.request('/api/auth/sign-in', { headers: { 'x-forwarded-for': '10.7.3.1' } });
    const text = await response.text();
    expect(response.status, text).toBe(503);
    expect(JSON.parse(text).error.code).toBe('identity_provider_unavailable');
    expect(response.headers.get('retry-after')).toBeTruthy();
    expect(text).not.toMatch(stackTracePattern);

    const unconfigured = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
    const missing = await unconfigured.request('/api/auth/sign-in');
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe('sign_in_unavailable');
    expect(await me(undefined, unconfigured)).toMatchObject({ kind: 'local', role: 'viewer', signInAvailable: false });
  });
});
