import type { TransactionSession } from '../../db';
import { LoadRejectedError } from '../problems';

/**
 * How a load's COPY into observations has its four foreign keys checked:
 * - `set-based`: COPY with session_replication_role = replica, so PostgreSQL's RI triggers (one
 *   SELECT … FOR KEY SHARE per row per key, three quarters of a COPY's time) do not fire, then one query checks
 *   every reference of the batch against its parent. The loader holds SHARE locks on organisations, indicators
 *   and periods from before the COPY to its commit, and its batch row is its own, so nothing checked can vanish
 *   before the commit.
 * - `per-row`: the plain COPY, when the role may not set session_replication_role (managed PostgreSQL without
 *   superuser or GRANT SET ON PARAMETER), or when a trigger on observations would not fire under that role.
 */
export type ReferenceCheck = 'set-based' | 'per-row';

/**
 * Whether this transaction may write observations with the set-based check. Every trigger of the project's on
 * observations must be ENABLE ALWAYS (migration 0014), or the COPY would skip it: a trigger added without it
 * sends the loader back to the per-row path rather than being skipped.
 */
export async function referenceCheckFor(session: TransactionSession): Promise<ReferenceCheck> {
  const [state] = await session.query<{ superuser: boolean; version: number; triggers_skipped: boolean }>(
    `select current_setting('is_superuser') = 'on' as superuser,
            current_setting('server_version_num')::int as version,
            exists (select 1 from pg_trigger where tgrelid = 'observations'::regclass and not tgisinternal and tgenabled <> 'A') as triggers_skipped`,
  );
  if (state.triggers_skipped) return 'per-row';
  if (state.superuser) return 'set-based';
  // GRANT SET ON PARAMETER (and has_parameter_privilege) came with PostgreSQL 15.
  if (Number(state.version) < 150000) return 'per-row';
  const [grant] = await session.query<{ granted: boolean }>(`select has_parameter_privilege('session_replication_role', 'SET') as granted`);
  return grant.granted ? 'set-based' : 'per-row';
}

/** A parent row the load's observations will reference, by its code (or label) and id. */
export interface ParentReference {
  parent: 'indicator' | 'organisation' | 'period';
  code: string;
  id: number;
}

/**
 * Refuses the load, naming them, when parents its rows will reference are gone since the file was validated
 * (deleted before the load took its locks; with the locks held none can go later). Before the COPY, on both
 * paths, so a per-row COPY cannot fail on a foreign key either: postgres.js 3.4 never settles a COPY that the
 * server refuses after its last row (porsager/postgres#1173).
 */
export async function refuseMissingParents(session: TransactionSession, file: string, references: ParentReference[]): Promise<void> {
  const idsOf = (parent: ParentReference['parent']) => references.filter((reference) => reference.parent === parent).map((reference) => reference.id);
  const missing = await session.query<{ parent: ParentReference['parent']; id: number }>(
    `select 'indicator' as parent, wanted.id from unnest($1::int[]) as wanted(id) where not exists (select 1 from indicators p where p.id = wanted.id)
     union all
     select 'organisation', wanted.id from unnest($2::int[]) as wanted(id) where not exists (select 1 from organisations p where p.id = wanted.id)
     union all
     select 'period', wanted.id from unnest($3::int[]) as wanted(id) where not exists (select 1 from periods p where p.id = wanted.id)`,
    [idsOf('indicator'), idsOf('organisation'), idsOf('period')],
  );
  if (missing.length === 0) return;
  const named = missing.map(({ parent, id }) => `${parent} ${references.find((reference) => reference.parent === parent && reference.id === Number(id))?.code ?? `id ${id}`}`);
  throw new LoadRejectedError(file, [{ file, row: 0, reason: `${named.join(', ')}: not in the database (deleted while the file was being loaded); nothing was loaded` }]);
}

/**
 * COPYs the batch's observation lines into observations, its references checked as `check` says; returns the
 * rows copied. A reference the set-based check finds missing (a parent deleted after the file was validated,
 * before the load took its locks) refuses the load, which rolls everything back.
 */
export async function copyObservations(
  session: TransactionSession,
  check: ReferenceCheck,
  file: string,
  batchId: number,
  columns: readonly string[],
  lines: AsyncIterable<string>,
): Promise<number> {
  if (check === 'per-row') return session.copyCsv('observations', columns, lines);
  await session.query(`set local session_replication_role = replica`);
  const copied = await session.copyCsv('observations', columns, lines);
  await session.query(`set local session_replication_role = origin`);
  const missing = await missingReferences(session, batchId);
  if (missing.length > 0) {
    throw new LoadRejectedError(file, [
      { file, row: 0, reason: `${missing.join(', ')}: not in the database (deleted while the file was being loaded); nothing was loaded` },
    ]);
  }
  return copied;
}

/**
 * The batch's references with no parent row, found in one pass over the batch's rows joined to the four parents
 * (as PostgreSQL checks a foreign key when it is added), e.g. `organisation id 7`. Empty when every reference holds.
 */
export async function missingReferences(session: TransactionSession, batchId: number): Promise<string[]> {
  const rows = await session.query<{ indicator_id: number; organisation_id: number; period_id: number; load_batch_id: number; indicator: boolean; organisation: boolean; period: boolean; batch: boolean }>(
    `select o.indicator_id, o.organisation_id, o.period_id, o.load_batch_id,
            i.id is null as indicator, g.id is null as organisation, p.id is null as period, b.id is null as batch
     from observations o
     left join indicators i on i.id = o.indicator_id
     left join organisations g on g.id = o.organisation_id
     left join periods p on p.id = o.period_id
     left join load_batches b on b.id = o.load_batch_id
     where o.load_batch_id = $1 and (i.id is null or g.id is null or p.id is null or b.id is null)
     limit 1000`,
    [batchId],
  );
  const missing = new Set<string>();
  for (const row of rows) {
    if (row.indicator) missing.add(`indicator id ${row.indicator_id}`);
    if (row.organisation) missing.add(`organisation id ${row.organisation_id}`);
    if (row.period) missing.add(`period id ${row.period_id}`);
    if (row.batch) missing.add(`load batch id ${row.load_batch_id}`);
  }
  return [...missing];
}
