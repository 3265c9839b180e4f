import { desc, eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../../api/app';
import type { ApiConfig } from '../../api/context';
import { schema } from '../../db';
import { describeDatabase } from '../support/database';

/**
 * Signing in on one's own machine (POST /api/auth/local-sign-in): an administrator's session for a browser on the
 * loopback address of a server listening on loopback only, and for no one else. The adversary forges what a
 * client controls (Host, X-Forwarded-For, Forwarded) from another address; only the socket is believed. Without
 * the refusals every one of these requests would get an administrator's session.
 */
describeDatabase('sign-in on this machine', (getDatabase) => {
  const app = (config: Partial<ApiConfig> = {}) => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, config: { localSignIn: true, ...config } });
  const identityProvider = { signIn: { issuer: 'https://login.example.nhs.uk', clientId: 'atlas', publicUrl: 'https://atlas.example.nhs.uk', roleClaims: { viewer: 'Viewer', analyst: 'Analyst', admin: 'Admin' } } };
  /** A request as the Node server hands it on: the socket's peer address is what the client cannot forge. */
  const post = (target: ReturnType<typeof app>, peer: string | undefined, headers: Record<string, string> = {}) =>
    target.request(
      '/api/auth/local-sign-in',
      { method: 'POST', body: new URLSearchParams({ returnTo: '/uploads' }), headers: { host: 'localhost:3000', origin: 'http://localhost', 'content-type': 'application/x-www-form-urlencoded', ...headers } },
      peer === undefined ? undefined : { incoming: { socket: { remoteAddress: peer } } },
    );
  const lastSignIn = async () => (await getDatabase().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'sign_in')).orderBy(desc(schema.auditEvents.id)).limit(1))[0];
  const me = async (target: ReturnType<typeof app>, init: RequestInit = {}, peer = '127.0.0.1') =>
    (await target.request('/api/auth/me', { ...init, headers: { host: 'localhost:3000', ...(init.headers as Record<string, string>) } }, { incoming: { socket: { remoteAddress: peer } } })).json();

  it('signs a browser on this machine in as its administrator, audited, with a session cookie', async () => {
    const target = app();
    expect(await me(target)).toMatchObject({ kind: 'local', localSignInAvailable: true, signInAvailable: false });
    const response = await post(target, '::ffff:127.0.0.1');
    expect(response.status, await response.clone().text()).toBe(303);
    expect(response.headers.get('location')).toBe('/uploads');
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith('va_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    const pair = cookie.split(';')[0];
    expect(await me(target, { headers: { cookie: pair } })).toMatchObject({ kind: 'session', role: 'admin', subject: 'local-administrator' });
    expect(await lastSignIn()).toMatchObject({ actor: 'local-administrator', outcome: 'success', details: expect.objectContaining({ method: 'this_machine', role: 'admin' }) });
    // Uploading is an analyst's or admin's: the session opens what the menu said needed a sign-in.
    expect((await target.request('/api/uploads', { headers: { cookie: pair, host: 'localhost' } })).status).toBe(200);
  });

  it.each<[string, string | undefined, Record<string, string>, RegExp]>([
    ['another machine claiming to be this one in X-Forwarded-For', '203.0.113.7', { 'x-forwarded-for': '127.0.0.1' }, /only for a browser on the machine/],
    ['another machine with a forged Host and Forwarded', '203.0.113.7', { host: '127.0.0.1', forwarded: 'for=127.0.0.1;host=localhost' }, /only for a browser on the machine/],
    ['a proxy on this machine passing on a request from elsewhere', '127.0.0.1', { 'x-forwarded-for': '198.51.100.4' }, /proxy/],
    ['a page on a rebound DNS name', '127.0.0.1', { host: 'evil.example:3000' }, /localhost/],
    ['a request with no socket at all', undefined, {}, /only for a browser on the machine/],
  ])('refuses %s: 403, no session, audited', async (_, peer, headers, reason) => {
    const response = await post(app({ allowedHosts: ['localhost', '127.0.0.1', 'evil.example'] }), peer, headers);
    expect(response.status).toBe(403);
    expect(response.headers.getSetCookie().join()).not.toContain('va_session=');
    expect((await response.json()).error).toMatchObject({ code: 'local_sign_in_refused', message: expect.stringMatching(reason) });
    expect(await lastSignIn()).toMatchObject({ actor: 'anonymous', outcome: 'failure', details: expect.objectContaining({ reason: 'local_sign_in_refused' }) });
  });

  it('is refused, and not offered, when an identity provider is configured, even from this machine', async () => {
    const target = app(identityProvider);
    expect(await me(target)).toMatchObject({ localSignInAvailable: false, signInAvailable: true });
    const response = await post(target, '127.0.0.1');
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/identity provider is configured/);
  });

  it('is refused, and not offered, when the server listens beyond this machine (HOST=0.0.0.0)', async () => {
    const target = app({ localSignIn: false });
    expect(await me(target)).toMatchObject({ localSignInAvailable: false });
    const response = await post(target, '127.0.0.1');
    expect(response.status).toBe(403);
    expect((await response.json()).error.message).toMatch(/listens beyond this machine/);
  });

  it('ends the session it began once the server is configured otherwise (an identity provider, or listening beyond loopback)', async () => {
    const response = await post(app(), '127.0.0.1');
    const pair = response.headers.getSetCookie().find((line) => line.startsWith('va_session='))!.split(';')[0];
    expect(await me(app(), { headers: { cookie: pair } })).toMatchObject({ kind: 'session', role: 'admin' });
    expect(await me(app(identityProvider), { headers: { cookie: pair } })).toMatchObject({ kind: 'local', role: 'viewer' });
    expect(await me(app({ localSignIn: false }), { headers: { cookie: pair } })).toMatchObject({ kind: 'local', role: 'viewer' });
  });

  it('is not offered to a browser elsewhere that the dashboard asks for', async () => {
    expect(await me(app(), { headers: { 'x-forwarded-for': '203.0.113.7' } })).toMatchObject({ localSignInAvailable: false });
    expect(await me(app(), {}, '203.0.113.7')).toMatchObject({ localSignInAvailable: false });
  });
});
