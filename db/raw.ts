import type { SQL } from 'drizzle-orm';
import type { Database } from './types';

/**
 * Runs raw SQL and returns its rows. PGlite answers `{ rows }` and postgres.js an array; this is the only
 * place that difference is normalised.
 */
export async function queryRows<Row extends Record<string, unknown>>(db: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  if (Array.isArray(result)) return result as Row[];
  return (result as { rows: Row[] }).rows;
}
