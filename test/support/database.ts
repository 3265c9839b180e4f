import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe } from 'vitest';
import { createDatabase, migrateDatabase, type Database, type DatabaseHandle } from '../../db';

export interface TestDatabase extends DatabaseHandle {
  /** The database name on PostgreSQL (created for this suite and dropped afterwards). */
  name?: string;
}

/**
 * A fresh, migrated database for one suite: in-memory PGlite by default, or a new database on the
 * PostgreSQL server named by DATABASE_URL (dropped again by close()). Migrations create enum types,
 * which a per-suite schema could not isolate, so each suite gets a whole database of its own.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL?.trim();
  let handle: TestDatabase;
  if (!serverUrl) {
    handle = await createDatabase({ dataDir: 'memory' });
  } else {
    const name = `va_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
    try {
      await admin.unsafe(`create database "${name}"`);
    } finally {
      await admin.end();
    }
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    const inner = await createDatabase({ url: url.toString(), dataDir: 'memory' });
    handle = {
      ...inner,
      name,
      close: async () => {
        await inner.close();
        const dropper = postgres(serverUrl, { max: 1, onnotice: () => {} });
        try {
          await dropper.unsafe(`drop database if exists "${name}" with (force)`);
        } finally {
          await dropper.end();
        }
      },
    };
  }
  if (options.migrate !== false) await migrateDatabase(handle);
  return handle;
}

export const testDatabaseKind = process.env.DATABASE_URL?.trim() ? 'postgres' : 'pglite';

/**
 * drizzle's pattern: one suite written against the driver-neutral Database, run on whichever driver the
 * environment selects (PGlite by default, PostgreSQL with DATABASE_URL). The title names the driver.
 */
export function describeDatabase(name: string, body: (getDatabase: () => TestDatabase) => void): void {
  describe(`${name} [${testDatabaseKind}]`, () => {
    let handle: TestDatabase | undefined;
    beforeAll(async () => {
      handle = await createTestDatabase();
    });
    afterAll(async () => {
      await handle?.close();
    });
    body(() => {
      if (!handle) throw new Error('the test database is not ready: use it inside a test or hook');
      return handle;
    });
  });
}

export type { Database };
