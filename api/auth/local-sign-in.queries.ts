import { eq } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { localAdministrator } from './local-sign-in';

const { users } = schema;

/** The administrator of this machine, made at its first sign-in here and kept an administrator. */
export async function localAdministratorUser(db: Database, now = new Date()): Promise<{ userId: number; created: boolean }> {
  const profile = { displayName: localAdministrator.displayName, issuer: localAdministrator.issuer, role: 'admin' as const, lastSignInAt: now };
  const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.subject, localAdministrator.subject));
  if (existing) {
    await db.update(users).set(profile).where(eq(users.id, existing.id));
    return { userId: existing.id, created: false };
  }
  const [created] = await db.insert(users).values({ subject: localAdministrator.subject, ...profile }).returning({ id: users.id });
  return { userId: created.id, created: true };
}
