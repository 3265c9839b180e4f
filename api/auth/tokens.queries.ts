import { and, eq, gt, isNull } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { Identity, Scope } from './identity';
import { hashToken, newToken } from './tokens';

const { apiTokens, users, userNetworks } = schema;

/** Makes a token for a user; the token itself is returned once and never stored. */
export async function createApiToken(db: Database, request: { userId: number; scopes: readonly Scope[]; days: number; name?: string }) {
  const { token, hash, prefix } = newToken();
  const expiresAt = new Date(Date.now() + request.days * 24 * 60 * 60 * 1000);
  const [row] = await db
    .insert(apiTokens)
    .values({ userId: request.userId, name: request.name, tokenHash: hash, prefix, scopes: [...request.scopes], expiresAt })
    .returning({ id: apiTokens.id, prefix: apiTokens.prefix, scopes: apiTokens.scopes, expiresAt: apiTokens.expiresAt });
  return { ...row, token };
}

/** The identity a live (unexpired, unrevoked) token carries, recording its use; undefined for any other token. */
export async function identityOfToken(db: Database, token: string): Promise<Identity | undefined> {
  const now = new Date();
  const [row] = await db
    .select({ tokenId: apiTokens.id, scopes: apiTokens.scopes, userId: users.id, subject: users.subject, role: users.role })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(and(eq(apiTokens.tokenHash, hashToken(token)), isNull(apiTokens.revokedAt), gt(apiTokens.expiresAt, now)));
  if (!row) return undefined;
  const [memberships] = await Promise.all([
    db.select({ networkId: userNetworks.networkId }).from(userNetworks).where(eq(userNetworks.userId, row.userId)),
    db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.tokenId)),
  ]);
  return {
    kind: 'token',
    tokenId: row.tokenId,
    userId: row.userId,
    subject: row.subject,
    role: row.role,
    scopes: row.scopes.filter((scope): scope is Scope => scope === 'read' || scope === 'write'),
    networkIds: new Set(memberships.map((m) => m.networkId)),
  };
}
