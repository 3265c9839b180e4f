import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import * as schema from './schema';
import type { DatabaseConfig } from './config';
import { lockDataFolder } from './lock';
import type { Database, DatabaseKind } from './types';

export interface DatabaseHandle {
  db: Database;
  kind: DatabaseKind;
  /** The underlying driver, for the few jobs drizzle does not do (COPY, bulk loads). */
  driver: { kind: 'pglite'; client: PGlite } | { kind: 'postgres'; client: postgres.Sql };
  close(): Promise<void>;
}

export const connectTimeoutSeconds = 5;

/**
 * The one way to get a database: PGlite (file-backed, or in memory with dataDir 'memory') when no URL
 * is given, otherwise PostgreSQL through postgres.js. Both share the schema, migrations and queries. A
 * file-backed PGlite is held by one process at a time (db/lock.ts) until close() or the process ends.
 */
export async function createDatabase(config: DatabaseConfig): Promise<DatabaseHandle> {
  if (config.url) {
    // Quiet NOTICEs (e.g. "schema already exists") that PostgreSQL sends during migrations. A server that is
    // down or unreachable must not hold a request: connecting, authentication included, gives up after
    // connectTimeoutSeconds (postgres.js waits 30 s), and the API answers 503 (db/unavailable.ts). No backoff:
    // postgres.js would otherwise hold each query up to 20 s after a run of failed connections (3^n/100 s),
    // during the outage and after it; each query still makes one attempt, so nothing retries in a loop.
    const client = postgres(config.url, { max: 10, onnotice: () => {}, connect_timeout: connectTimeoutSeconds, backoff: () => 0 });
    const db = drizzlePostgres({ client, schema, casing: 'snake_case' });
    return { db, kind: 'postgres', driver: { kind: 'postgres', client }, close: () => client.end({ timeout: 5 }) };
  }
  if (config.dataDir === 'memory') return pgliteHandle(new PGlite(), async () => {});
  // Before PGlite touches the folder: a second opener is refused with DatabaseLockedError (db/lock.ts).
  const release = await lockDataFolder(config.dataDir);
  try {
    return await pgliteHandle(new PGlite(config.dataDir), release);
  } catch (error) {
    await release();
    throw error;
  }
}

async function pgliteHandle(client: PGlite, release: () => Promise<void>): Promise<DatabaseHandle> {
  await client.waitReady;
  const db = drizzlePglite({ client, schema, casing: 'snake_case' });
  const close = async () => {
    try {
      await client.close();
    } finally {
      await release();
    }
  };
  return { db, kind: 'pglite', driver: { kind: 'pglite', client }, close };
}
