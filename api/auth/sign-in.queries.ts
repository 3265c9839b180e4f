import { eq, lt } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { Role } from './identity';
import { SignInError, type SignInChecks, type SignInClaims } from './oidc';
import { roleFromClaim, signInRequestLifetimeMs } from './sign-in';
import { hashToken } from './tokens';

const { auditEvents, signInRequests, users } = schema;

/** Keeps a sign-in's PKCE verifier and nonce under the hash of its state; requests past their end are dropped meanwhile. */
export async function saveSignInRequest(db: Database, checks: SignInChecks, returnTo: string, now = new Date()): Promise<void> {
  await db.delete(signInRequests).where(lt(signInRequests.expiresAt, now));
  await db.insert(signInRequests).values({
    stateHash: hashToken(checks.state),
    codeVerifier: checks.codeVerifier,
    nonce: checks.nonce,
    returnTo,
    createdAt: now,
    expiresAt: new Date(now.getTime() + signInRequestLifetimeMs),
  });
}

/** The request a callback's state belongs to, deleted as it is read: a state works once, a replay finds nothing. */
export async function takeSignInRequest(db: Database, state: string) {
  const [row] = await db.delete(signInRequests).where(eq(signInRequests.stateHash, hashToken(state))).returning();
  return row;
}

export type RoleSource = 'claim' | 'stored' | 'default';

/**
 * The user an ID token names, made at their first sign-in. The role comes from the token's roles claim when
 * it grants one, else stays as stored (set by `etl user add` or an earlier sign-in), else is viewer. An
 * account of the same subject vouched for by another issuer is refused: a subject is unique only within its
 * issuer. An account made by `etl user add` (no issuer) is taken over at its first sign-in.
 */
export async function signInUser(
  db: Database,
  claims: SignInClaims,
  roleClaims: Record<Role, string>,
  now = new Date(),
): Promise<{ userId: number; role: Role; roleSource: RoleSource; created: boolean }> {
  const claimed = roleFromClaim(claims.roles, roleClaims);
  const profile = { displayName: claims.displayName ?? null, email: claims.email ?? null, issuer: claims.issuer, lastSignInAt: now };
  const [existing] = await db.select({ id: users.id, issuer: users.issuer, role: users.role }).from(users).where(eq(users.subject, claims.subject));
  if (existing === undefined) {
    const role = claimed ?? 'viewer';
    const [created] = await db.insert(users).values({ subject: claims.subject, role, ...profile }).returning({ id: users.id });
    return { userId: created.id, role, roleSource: claimed ? 'claim' : 'default', created: true };
  }
  if (existing.issuer !== null && existing.issuer !== claims.issuer) {
    throw new SignInError('issuer_mismatch', `The subject is already an account of another issuer (${existing.issuer})`);
  }
  const role = claimed ?? existing.role;
  await db.update(users).set({ role, ...profile }).where(eq(users.id, existing.id));
  return { userId: existing.id, role, roleSource: claimed ? 'claim' : 'stored', created: false };
}

/**
 * Every sign-in attempt, successful or not, in the audit trail. The actor is the subject once the ID token
 * has named one, 'anonymous' before that.
 */
export async function auditSignIn(
  db: Database,
  event: { action: 'sign_in' | 'sign_out'; outcome: 'success' | 'failure'; subject?: string; userId?: number; details: Record<string, unknown> },
): Promise<void> {
  await db.insert(auditEvents).values({ actor: event.subject ?? 'anonymous', userId: event.userId ?? null, action: event.action, outcome: event.outcome, details: event.details });
}
