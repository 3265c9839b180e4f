import { and, eq, gt, lt, or } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { Identity } from './identity';
import { newSessionSecret, sessionIdleMs, sessionLifetimeMs } from './sessions';
import { hashToken } from './tokens';

const { sessions, users, userNetworks } = schema;

/** Starts a session for a user; the secret (the cookie's value) is returned once and never stored. */
export async function createSession(db: Database, userId: number, now = new Date()) {
  const { secret, hash } = newSessionSecret();
  const expiresAt = new Date(now.getTime() + sessionLifetimeMs);
  const [row] = await db.insert(sessions).values({ userId, tokenHash: hash, createdAt: now, lastSeenAt: now, expiresAt }).returning({ id: sessions.id });
  return { id: row.id, secret, expiresAt };
}

/**
 * The identity of a live session (not expired, not idle too long), marking it seen; undefined for any other
 * secret. lastSeenAt is written at most once a minute, so reads do not each cost a write.
 */
export async function identityOfSession(db: Database, secret: string, now = new Date()): Promise<Identity | undefined> {
  const [row] = await db
    .select({ sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt, userId: users.id, subject: users.subject, role: users.role })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(secret)), gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs))));
  if (!row) return undefined;
  const [memberships] = await Promise.all([
    db.select({ networkId: userNetworks.networkId }).from(userNetworks).where(eq(userNetworks.userId, row.userId)),
    now.getTime() - row.lastSeenAt.getTime() > 60_000 ? db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, row.sessionId)) : undefined,
  ]);
  return {
    kind: 'session',
    sessionId: row.sessionId,
    userId: row.userId,
    subject: row.subject,
    role: row.role,
    scopes: ['read', 'write'],
    networkIds: new Set(memberships.map((m) => m.networkId)),
  };
}

/** Signing out: the session's row is deleted, so its cookie is worthless even if kept. */
export async function endSession(db: Database, secret: string): Promise<{ userId: number } | undefined> {
  const [row] = await db.delete(sessions).where(eq(sessions.tokenHash, hashToken(secret))).returning({ userId: sessions.userId });
  return row;
}

/** Drops sessions past their end, so the table holds only live ones. */
export async function deleteEndedSessions(db: Database, now = new Date()) {
  await db.delete(sessions).where(or(lt(sessions.expiresAt, now), lt(sessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs))));
}
