import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db';

const tables = ['organisations', 'networks', 'network_memberships', 'indicators', 'periods', 'load_batches', 'observations', 'observation_revisions'] as const;

/**
 * Row count and an md5 of every row of every table: equal fingerprints mean nothing was written. Surrogate
 * ids are left out, so rows restored by a rollback (new ids, same content) compare equal.
 */
export async function databaseFingerprint(db: Database): Promise<Record<string, string>> {
  const entries = await Promise.all(
    tables.map(async (table) => {
      const [row] = await queryRows<{ n: string | number; digest: string | null }>(
        db,
        sql.raw(`select count(*) as n, md5(coalesce(string_agg(r, '|' order by r), '')) as digest
          from (select (to_jsonb(t) - 'id')::text as r from ${table} t) rows`),
      );
      return [table, `${row.n}:${row.digest}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}
