import { eq, inArray } from 'drizzle-orm';
import { schema, withTransaction, type DatabaseHandle } from '../../db';
import { roles, scopes, type Role, type Scope } from '../../api/auth/identity';
import { createApiToken } from '../../api/auth/tokens.queries';
import { EtlCommandError } from '../problems';

/**
 * Bootstrapping access without a sign-in page: `etl user add` makes (or updates) a user with a role and the
 * restricted networks they may see (added to any granted before), `etl token create` prints a token for scripts
 * once. Both are audited; a user change as the dashboard's is, with the role and networks after and before.
 */
export async function addUser(
  handle: DatabaseHandle,
  request: { subject: string; role: string; displayName?: string; email?: string; networks: string[] },
  by: string,
) {
  if (!roles.includes(request.role as Role)) throw new EtlCommandError(`--role takes ${roles.join(', ')}, got "${request.role}"`);
  const role = request.role as Role;
  const subject = request.subject.trim();
  if (!subject) throw new EtlCommandError('user add needs --subject');
  return withTransaction(handle, async (session) => {
    const { db } = handle;
    const found = request.networks.length === 0 ? [] : await session.run<{ id: number; code: string }>(db.select({ id: schema.networks.id, code: schema.networks.code }).from(schema.networks).where(inArray(schema.networks.code, request.networks)));
    const missing = request.networks.filter((code) => !found.some((network) => network.code === code));
    if (missing.length > 0) throw new EtlCommandError(`--network: no network with code ${missing.map((code) => `"${code}"`).join(', ')}`);
    // What the user had before, so the audit row reads as the dashboard's does: the state after, and before.
    const [existing] = await session.run<{ id: number; role: Role }>(db.select({ id: schema.users.id, role: schema.users.role }).from(schema.users).where(eq(schema.users.subject, subject)));
    const held = existing
      ? (await session.run<{ code: string }>(db.select({ code: schema.networks.code }).from(schema.userNetworks).innerJoin(schema.networks, eq(schema.networks.id, schema.userNetworks.networkId)).where(eq(schema.userNetworks.userId, existing.id))))
          .map((row) => row.code)
          .sort()
      : [];
    const values = { subject, role, displayName: request.displayName, email: request.email };
    const [user] = await session.run<{ id: number }>(
      db.insert(schema.users).values(values).onConflictDoUpdate({ target: schema.users.subject, set: { role, displayName: request.displayName, email: request.email } }).returning({ id: schema.users.id }),
    );
    if (found.length > 0) {
      await session.run(db.insert(schema.userNetworks).values(found.map((network) => ({ userId: user.id, networkId: network.id }))).onConflictDoNothing());
    }
    await session.run(db.insert(schema.auditEvents).values({ actor: by, action: 'user_changed', details: { subject, role, networks: [...new Set([...held, ...request.networks])].sort(), before: existing ? { role: existing.role, networks: held } : null } }));
    return { id: Number(user.id), subject, role };
  });
}

export async function createTokenFor(handle: DatabaseHandle, request: { subject: string; scopes: string; days: number; name?: string }, by: string) {
  const asked = request.scopes.split(',').map((scope) => scope.trim()).filter(Boolean);
  const unknown = asked.filter((scope) => !scopes.includes(scope as Scope));
  if (asked.length === 0 || unknown.length > 0) throw new EtlCommandError(`--scopes takes a list of ${scopes.join(', ')}, got "${request.scopes}"`);
  if (!Number.isInteger(request.days) || request.days < 1 || request.days > 365) throw new EtlCommandError(`--days takes a whole number from 1 to 365, got "${request.days}"`);
  const { db } = handle;
  const [user] = await db.select({ id: schema.users.id }).from(schema.users).where(eq(schema.users.subject, request.subject));
  if (!user) throw new EtlCommandError(`--user: no user with subject "${request.subject}" (add one with: npm run etl -- user add --subject … --role …)`);
  const created = await createApiToken(db, { userId: user.id, scopes: [...new Set(asked)] as Scope[], days: request.days, name: request.name });
  await db.insert(schema.auditEvents).values({ actor: by, action: 'token_created', details: { tokenId: created.id, prefix: created.prefix, owner: request.subject, scopes: created.scopes, expiresAt: created.expiresAt } });
  return created;
}
