import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import type { DatabaseHandle } from './client';
import * as schema from './schema';
import type { Database, DatabaseKind } from './types';

/** A query drizzle has built (`db.insert(...)…`), to be run on a transaction's own connection. */
export interface BuiltQuery {
  toSQL(): { sql: string; params: unknown[] };
}

/**
 * One transaction on one connection, for bulk work drizzle does not do: COPY, and statements that must
 * share the transaction with it. Queries are built with drizzle and run here, so they stay typed.
 */
export interface TransactionSession {
  kind: DatabaseKind;
  query<Row extends Record<string, unknown>>(text: string, params?: unknown[]): Promise<Row[]>;
  run<Row extends Record<string, unknown>>(query: BuiltQuery): Promise<Row[]>;
  /** COPY of CSV text chunks into table(columns); returns the rows copied. One record a line: no quoted newlines. */
  copyCsv(table: string, columns: readonly string[], chunks: AsyncIterable<string>): Promise<number>;
  /** drizzle on this transaction's connection, so queries written against Database see its uncommitted writes. */
  db: Database;
}

// PGlite reads COPY input from an in-memory blob, so input is sent in bounded pieces to keep memory flat.
const pgliteCopyBytes = 16 * 1024 * 1024;

const identifier = (name: string) => `"${name.replace(/"/g, '""')}"`;
const copyStatement = (table: string, columns: readonly string[], source: string) =>
  `copy ${identifier(table)} (${columns.map(identifier).join(', ')}) from ${source} with (format csv)`;

/** Runs fn in one transaction: committed when fn resolves, rolled back when it throws. */
export async function withTransaction<T>(handle: DatabaseHandle, fn: (session: TransactionSession) => Promise<T>): Promise<T> {
  const { driver } = handle;
  if (driver.kind === 'postgres') {
    const result = await driver.client.begin(async (tx) => {
      const query = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
        (await tx.unsafe(text, params as never[])) as unknown as Row[];
      // drizzle reads the client's type parsers, which a transaction shares with its client.
      const db = drizzlePostgres({ client: Object.assign(tx, { options: driver.client.options }) as unknown as typeof driver.client, schema, casing: 'snake_case' });
      return fn(
        session('postgres', db, query, async (table, columns, chunks) => {
          const writable = await tx.unsafe(copyStatement(table, columns, 'stdin')).writable();
          let rows = 0;
          await pipeline(
            Readable.from(countLines(chunks, (n) => (rows += n))),
            writable,
          );
          return rows;
        }),
      );
    });
    return result as T;
  }
  return driver.client.transaction(async (tx) => {
    const query = async <Row extends Record<string, unknown>>(text: string, params: unknown[] = []) =>
      (await tx.query<Row>(text, params)).rows;
    const db = drizzlePglite({ client: tx as unknown as typeof driver.client, schema, casing: 'snake_case' });
    return fn(
      session('pglite', db, query, async (table, columns, chunks) => {
        let rows = 0;
        let pending: string[] = [];
        let pendingBytes = 0;
        const flush = async () => {
          if (pending.length === 0) return;
          const result = await tx.query(copyStatement(table, columns, `'/dev/blob'`), [], { blob: new Blob(pending) });
          rows += result.affectedRows ?? 0;
          pending = [];
          pendingBytes = 0;
        };
        for await (const chunk of chunks) {
          pending.push(chunk);
          pendingBytes += chunk.length;
          if (pendingBytes >= pgliteCopyBytes) await flush();
        }
        await flush();
        return rows;
      }),
    );
  });
}

function session(kind: DatabaseKind, db: Database, query: TransactionSession['query'], copyCsv: TransactionSession['copyCsv']): TransactionSession {
  return {
    kind,
    db,
    query,
    run: (built) => {
      const { sql, params } = built.toSQL();
      return query(sql, params);
    },
    copyCsv,
  };
}

async function* countLines(chunks: AsyncIterable<string>, add: (n: number) => void): AsyncIterable<string> {
  for await (const chunk of chunks) {
    let n = 0;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) n++;
    add(n);
    yield chunk;
  }
}
