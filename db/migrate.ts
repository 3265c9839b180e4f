import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { DatabaseHandle } from './client';

export const migrationsFolder = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Applies the committed drizzle-kit migrations; already-applied ones are skipped, so it is safe to repeat. */
export async function migrateDatabase(handle: DatabaseHandle): Promise<void> {
  if (handle.driver.kind === 'pglite') {
    await migratePglite(handle.db as PgliteDatabase<Record<string, unknown>>, { migrationsFolder });
  } else {
    await migratePostgres(handle.db as PostgresJsDatabase<Record<string, unknown>>, { migrationsFolder });
  }
}
