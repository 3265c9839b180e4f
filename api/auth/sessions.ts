import { randomBytes } from 'node:crypto';
import { hashToken } from './tokens';

/** The dashboard's session cookie: HttpOnly, SameSite=Lax, Secure over HTTPS. */
export const sessionCookieName = 'va_session';

/** A session ends 8 hours after sign-in, or after 60 idle minutes, whichever comes first. */
export const sessionLifetimeMs = 8 * 60 * 60 * 1000;
export const sessionIdleMs = 60 * 60 * 1000;

/** 256 random bits; like API tokens, only the SHA-256 is stored. */
export function newSessionSecret(): { secret: string; hash: string } {
  const secret = `vas_${randomBytes(32).toString('base64url')}`;
  return { secret, hash: hashToken(secret) };
}
