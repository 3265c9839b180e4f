import { sql } from 'drizzle-orm';
import { queryRows, type Database } from '../../db';

/** Each table's rows as compared; the audit trail's successes only, as a refusal is recorded after its rollback. */
const tables = {
  organisations: 'organisations t',
  networks: 'networks t',
  network_memberships: 'network_memberships t',
  indicators: 'indicators t',
  periods: 'periods t',
  load_batches: 'load_batches t',
  observations: 'observations t',
  observation_revisions: 'observation_revisions t',
  audit_events: `audit_events t where outcome = 'success'`,
} as const;

/**
 * Row count and an md5 of every row of every table: equal fingerprints mean nothing was written. Surrogate
 * ids and the audit's timestamps are left out, so rows restored by a rollback (new ids, same content)
 * compare equal.
 */
export async function databaseFingerprint(db: Database): Promise<Record<string, string>> {
  const entries = await Promise.all(
    Object.entries(tables).map(async ([table, rows]) => {
      const [row] = await queryRows<{ n: string | number; digest: string | null }>(
        db,
        sql.raw(`select count(*) as n, md5(coalesce(string_agg(r, '|' order by r), '')) as digest
          from (select (to_jsonb(t) - 'id' - 'occurred_at')::text as r from ${rows}) rows`),
      );
      return [table, `${row.n}:${row.digest}`] as const;
    }),
  );
  return Object.fromEntries(entries);
}
