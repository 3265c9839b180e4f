import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie } from 'hono/cookie';
import { ApiError } from '../errors';
import type { AppEnv } from '../context';
import { hasRole, localViewer, type Identity, type Role } from './identity';
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
  const { db, config } = c.get('deps');
  const header = c.req.header('authorization');
  if (header === undefined) {
    const secret = getCookie(c, sessionCookieName);
    const session = secret === undefined ? undefined : await identityOfSession(db, secret);
    if (session !== undefined) {
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

/** The headers that carry the caller's identity into a route the API requests in process (exports, packs). */
export function identityHeaders(c: Context): Record<string, string> {
  const authorization = c.req.header('authorization');
  return authorization === undefined ? {} : { authorization };
}
