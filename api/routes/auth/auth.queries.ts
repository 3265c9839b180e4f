import { eq, inArray } from 'drizzle-orm';
import { schema, type Database } from '../../../db';

const { networks, users } = schema;

/** A signed-in user's name and the codes of the restricted networks they are a member of, for the dashboard's header. */
export async function profileOf(db: Database, userId: number, networkIds: ReadonlySet<number>) {
  const [[user], memberOf] = await Promise.all([
    db.select({ displayName: users.displayName }).from(users).where(eq(users.id, userId)),
    networkIds.size === 0 ? [] : db.select({ code: networks.code }).from(networks).where(inArray(networks.id, [...networkIds])).orderBy(networks.code),
  ]);
  return { displayName: user?.displayName ?? null, networks: memberOf.map((network) => network.code) };
}
