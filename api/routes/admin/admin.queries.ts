import { and, asc, count, eq, gt, inArray, isNull, notInArray } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import type { Identity, Role } from '../../auth/identity';
import { sessionIdleMs } from '../../auth/sessions';
import { ApiError } from '../../errors';

const { users, userNetworks, networks, sessions, apiTokens } = schema;

/**
 * Users with their role, the networks granted them, and how many live sessions and tokens they hold; one
 * user when `id` is given. Four small queries joined here rather than one wide GROUP BY.
 */
export async function listUsers(db: Database, id?: number, now = new Date()) {
  const only = id === undefined ? undefined : eq(users.id, id);
  const [rows, grants, liveSessions, liveTokens] = await Promise.all([
    db.select().from(users).where(only).orderBy(asc(users.subject)),
    db
      .select({ userId: userNetworks.userId, code: networks.code, restricted: networks.restricted })
      .from(userNetworks)
      .innerJoin(networks, eq(networks.id, userNetworks.networkId))
      .where(id === undefined ? undefined : eq(userNetworks.userId, id))
      .orderBy(asc(networks.code)),
    db
      .select({ userId: sessions.userId, n: count() })
      .from(sessions)
      .where(and(gt(sessions.expiresAt, now), gt(sessions.lastSeenAt, new Date(now.getTime() - sessionIdleMs)), id === undefined ? undefined : eq(sessions.userId, id)))
      .groupBy(sessions.userId),
    db
      .select({ userId: apiTokens.userId, n: count() })
      .from(apiTokens)
      .where(and(isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now), id === undefined ? undefined : eq(apiTokens.userId, id)))
      .groupBy(apiTokens.userId),
  ]);
  const countOf = (list: { userId: number; n: number }[], userId: number) => Number(list.find((row) => row.userId === userId)?.n ?? 0);
  return rows.map((user) => ({
    id: user.id,
    subject: user.subject,
    name: user.displayName,
    email: user.email,
    issuer: user.issuer,
    role: user.role,
    // Every network granted; a grant of an unrestricted network matters only once that network is restricted.
    networks: grants.filter((grant) => grant.userId === user.id).map((grant) => ({ code: grant.code, restricted: grant.restricted })),
    createdAt: user.createdAt,
    lastSignInAt: user.lastSignInAt,
    liveSessions: countOf(liveSessions, user.id),
    liveTokens: countOf(liveTokens, user.id),
  }));
}

/** Every network with its restriction and the users granted it (its members, who see it when it is restricted). */
export async function listNetworks(db: Database) {
  const [rows, members] = await Promise.all([
    db.select({ id: networks.id, code: networks.code, name: networks.name, kind: networks.kind, restricted: networks.restricted }).from(networks).orderBy(asc(networks.code)),
    db
      .select({ networkId: userNetworks.networkId, id: users.id, subject: users.subject, name: users.displayName, role: users.role })
      .from(userNetworks)
      .innerJoin(users, eq(users.id, userNetworks.userId))
      .orderBy(asc(users.subject)),
  ]);
  return rows.map(({ id, ...network }) => ({ ...network, members: members.filter((member) => member.networkId === id).map(({ networkId: _, ...member }) => member) }));
}

/**
 * Sets a user's role and/or the whole set of networks granted them, in one transaction with its audit row
 * (`user_changed`, the ETL's details plus what was there before). A change that changes nothing writes
 * nothing. The last admin cannot be demoted: every admin row is locked first, always in id order, so two
 * admins demoting each other at once wait for each other instead of both succeeding (or deadlocking).
 */
export async function changeUser(db: Database, by: Identity, id: number, change: { role?: Role; networks?: string[] }) {
  return db.transaction(async (tx) => {
    const admins = await tx.select({ id: users.id }).from(users).where(eq(users.role, 'admin')).orderBy(asc(users.id)).for('update');
    const [user] = await tx.select().from(users).where(eq(users.id, id)).for('update');
    if (!user) throw new ApiError(404, 'not_found', `No user with id ${id}`, 'id');
    const granted = await tx
      .select({ id: networks.id, code: networks.code })
      .from(userNetworks)
      .innerJoin(networks, eq(networks.id, userNetworks.networkId))
      .where(eq(userNetworks.userId, id))
      .orderBy(asc(networks.code));
    const before = { role: user.role, networks: granted.map((network) => network.code) };
    const wanted = change.networks ?? before.networks;
    const found = wanted.length === 0 ? [] : await tx.select({ id: networks.id, code: networks.code }).from(networks).where(inArray(networks.code, wanted));
    const missing = wanted.filter((code) => !found.some((network) => network.code === code));
    if (missing.length > 0) throw new ApiError(400, 'unknown_network', `No network with code ${missing.map((code) => `"${code}"`).join(', ')}`, 'networks');
    const after = { role: change.role ?? before.role, networks: [...wanted].sort() };
    if (after.role === before.role && after.networks.join('\n') === before.networks.join('\n')) return { changed: false };
    if (before.role === 'admin' && after.role !== 'admin' && admins.length <= 1) {
      throw new ApiError(409, 'last_admin', `${user.subject} is the only admin; make someone else an admin first`, 'role');
    }
    if (after.role !== before.role) await tx.update(users).set({ role: after.role }).where(eq(users.id, id));
    const keep = found.map((network) => network.id);
    await tx.delete(userNetworks).where(and(eq(userNetworks.userId, id), keep.length === 0 ? undefined : notInArray(userNetworks.networkId, keep)));
    if (keep.length > 0) await tx.insert(userNetworks).values(keep.map((networkId) => ({ userId: id, networkId }))).onConflictDoNothing();
    await recordAudit(tx, by, { action: 'user_changed', details: { subject: user.subject, role: after.role, networks: after.networks, before } });
    return { changed: true };
  });
}

/** Restricts a network or lifts its restriction, audited as the ETL audits networks.csv (`setting_changed`); a no-op writes nothing. */
export async function setNetworkRestricted(db: Database, by: Identity, code: string, restricted: boolean) {
  return db.transaction(async (tx) => {
    const [network] = await tx.select({ id: networks.id, restricted: networks.restricted }).from(networks).where(eq(networks.code, code)).for('update');
    if (!network) throw new ApiError(404, 'not_found', `No network with code ${code}`, 'code');
    if (network.restricted === restricted) return { changed: false };
    await tx.update(networks).set({ restricted }).where(eq(networks.id, network.id));
    await recordAudit(tx, by, { action: 'setting_changed', details: { setting: 'network.restricted', changes: [{ network: code, restricted }] } });
    return { changed: true };
  });
}
