import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { ApiError } from '../errors';
import type { AppEnv } from '../context';
import { hasRole, localViewer, type Identity, type Role } from './identity';
import { localAdministrator } from './local-sign-in';
import { sessionCookieName } from './sessions';
import { identityOfSession } from './sessions.queries';
import { identityOfToken } from './tokens.queries';

const readMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What answers without an identity in required mode: the health check, and signing in (and out) itself. */
const isOpenPath = (path: string) => path === '/api/health' || path.startsWith('/api/auth/');

/**
 * Sets the request's identity: a bearer token's owner, a signed-in browser's user (the session cookie), or
 * with neither the anonymous local viewer when the API runs in local mode (`VARIATION_ATLAS_AUTH=local`, the
 * default) and a 401 in required mode, but for the health check and the sign-in routes. A token that is
 * unknown, expired or revoked is always a 401, never a silent fall back to anonymous; a session that has
 * ended is cleared and the request goes on as if it had none.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const passed = (c.env as { [callerIdentity]?: Identity } | undefined)?.[callerIdentity];
  if (passed !== undefined) {
    c.set('identity', passed);
    return next();
  }
  const { db, config } = c.get('deps');
  const header = c.req.header('authorization');
  if (header === undefined) {
    const secret = getCookie(c, sessionCookieName);
    const session = secret === undefined ? undefined : await identityOfSession(db, secret);
    // A session begun on this machine lasts only while such a sign-in would still be allowed: not once an identity provider is configured or the server listens beyond loopback.
    const outlived = session?.kind === 'session' && session.subject === localAdministrator.subject && (config.signIn !== undefined || !config.localSignIn);
    if (session !== undefined && !outlived) {
      c.set('identity', session);
      return next();
    }
    if (secret !== undefined) deleteCookie(c, sessionCookieName, { path: '/' });
    if (config.auth === 'required' && !isOpenPath(c.req.path)) throw new ApiError(401, 'unauthenticated', 'Sign in or send a bearer token');
    c.set('identity', localViewer);
    return next();
  }
  const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  const identity = token === undefined ? undefined : await identityOfToken(db, token);
  if (identity === undefined) throw new ApiError(401, 'invalid_token', 'The bearer token is unknown, expired or revoked');
  const needed = readMethods.has(c.req.method) ? 'read' : 'write';
  if (!identity.scopes.includes(needed)) throw new ApiError(403, 'insufficient_scope', `This token lacks the ${needed} scope`);
  c.set('identity', identity);
  return next();
};

/** The signed-in caller (a token's or a session's user); the anonymous local viewer is told to sign in. */
export function signedInIdentity(c: Context<AppEnv>): Exclude<Identity, { kind: 'local' }> {
  const identity = c.get('identity');
  if (identity.kind === 'local') throw new ApiError(401, 'unauthenticated', 'Sign in or send a bearer token');
  return identity;
}

/** A guard for state-changing routes: the anonymous local viewer is told to sign in, a lesser role is refused. */
export function requireRole(role: Role): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!hasRole(signedInIdentity(c), role)) throw new ApiError(403, 'forbidden', `This needs the ${role} role`);
    return next();
  };
}

/**
 * Where an in-process request (exports, packs) carries its caller's identity, already resolved from their
 * session cookie, token or neither: a key of the request's environment, which only code in this process can
 * set, never a header an outside request could forge.
 */
const callerIdentity = Symbol('caller identity');

/** The API's own `app.request`. */
export type InProcessRequest = (input: URL, init: RequestInit | undefined, env: object) => Response | Promise<Response>;

/**
 * A GET of one of the API's own routes answered in process as the caller: with their identity, so the route
 * applies the same access checks, on the caller's origin, which the host check has already admitted.
 */
export function requestAsCaller(c: Context<AppEnv>, request: InProcessRequest, path: string): Response | Promise<Response> {
  return request(new URL(path, c.req.url), undefined, { [callerIdentity]: c.get('identity') });
}
