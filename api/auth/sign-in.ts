import { roles, type Role } from './identity';

/** A sign-in request is good for this long: time to type a password and pass a second factor, not to be stolen and kept. */
export const signInRequestLifetimeMs = 10 * 60 * 1000;

/**
 * Where a sign-in may send the browser back to: a path on this site only. `//host` and `/\host` are read by
 * browsers as another site (a scheme-relative URL), so they are refused like absolute URLs, as is any control
 * character that could end up in a header.
 */
export function isLocalPath(value: string): boolean {
  return value.startsWith('/') && !value.startsWith('//') && !value.includes('\\') && !/[\u0000-\u001f\u007f]/.test(value);
}

/**
 * The role an ID token's `roles` claim (Entra ID app roles) grants: the highest role whose configured value
 * it holds, or undefined when the claim is absent or holds none of them.
 */
export function roleFromClaim(claim: unknown, roleClaims: Record<Role, string>): Role | undefined {
  if (!Array.isArray(claim)) return undefined;
  return [...roles].reverse().find((role) => claim.includes(roleClaims[role]));
}

/** The codes a failed sign-in sends the browser to `/sign-in?error=` with, and records in the audit. */
export const signInFailures = [
  'unknown_state',
  'expired_state',
  'access_denied',
  'identity_provider_error',
  'identity_provider_unavailable',
  'exchange_failed',
  'id_token_invalid',
  'issuer_mismatch',
  'not_configured',
] as const;
export type SignInFailure = (typeof signInFailures)[number];
