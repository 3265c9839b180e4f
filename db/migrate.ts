import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DatabaseHandle } from './client';

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Held while migrations run on PostgreSQL, so replicas and workers starting together migrate one at a time. */
const migrationLock = 7325002;

/** Applies the committed drizzle-kit migrations; already-applied ones are skipped, so it is safe to repeat. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver.kind === 'pglite') {
    await migratePglite(handle.db as PgliteDatabase<Record<string, unknown>>, { migrationsFolder });
    return;
  }
  // A session lock on a connection of its own; the migrations run on the pool meanwhile.
  const holder = await handle.driver.client.reserve();
  try {
    await holder`select pg_advisory_lock(${migrationLock})`;
    await migratePostgres(handle.db as PostgresJsDatabase<Record<string, unknown>>, { migrationsFolder });
  } finally {
    await holder`select pg_advisory_unlock(${migrationLock})`.catch(() => undefined);
    holder.release();
  }
}
