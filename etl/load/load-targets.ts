import { schema, withTransaction, type DatabaseHandle } from '../../db';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { excluded, readReferenceCsv, validateRows } from './load-reference';

const targetKinds = ['operational', 'constitutional', 'local_ambition'] as const;

interface TargetRow {
  row: number;
  indicator: string;
  kind: (typeof targetKinds)[number];
  network: string | null;
  validFrom: string;
  validTo: string | null;
  value: number;
  source: string;
}

const overlaps = (a: { validFrom: string; validTo: string | null }, b: { validFrom: string; validTo: string | null }) =>
  (a.validTo === null || b.validFrom < a.validTo) && (b.validTo === null || a.validFrom < b.validTo);

/**
 * targets.csv: indicator, kind (operational, constitutional or local_ambition), network (a local ambition's
 * network or ICB; empty for a national standard), valid_from, valid_to (exclusive; empty while in force),
 * value (display scale: 80 for 80 %), source. All or nothing: any bad cell, unknown indicator or network, or
 * two standards of one kind and network in force on one day (in the file or already stored) refuses the file.
 * Upserts by indicator, kind, network and start.
 */
export async function loadTargets(handle: DatabaseHandle, path: string): Promise<number> {
  const { file, rows } = await readReferenceCsv(path, ['indicator', 'kind', 'network', 'valid_from', 'valid_to', 'value', 'source'], ['indicator', 'kind', 'valid_from', 'value', 'source']);
  const targets = validateRows(
    file,
    rows,
    (r): TargetRow => {
      const target = {
        row: r.row,
        indicator: r.text('indicator'),
        kind: r.choice('kind', targetKinds),
        network: r.optionalText('network'),
        validFrom: r.date('valid_from', true) ?? '',
        validTo: r.date('valid_to', false),
        value: r.number('value', { required: true }) ?? 0,
        source: r.text('source'),
      };
      if (target.validFrom && target.validTo && target.validTo <= target.validFrom) r.fail('valid_to', target.validTo, 'must be after valid_from');
      if (target.network !== null && target.kind !== 'local_ambition') r.fail('network', target.network, 'only a local ambition belongs to a network; a national standard has none');
      return target;
    },
    // Rows of one standard are compared by date range below, which names the clash better than a duplicate key.
    (target) => String(target.row),
  );
  const sameStandard = (a: TargetRow, b: Pick<TargetRow, 'indicator' | 'kind' | 'network'>) => a.indicator === b.indicator && a.kind === b.kind && a.network === b.network;
  const clashes: LoadProblem[] = targets.flatMap((target, i) =>
    targets
      .slice(0, i)
      .filter((other) => sameStandard(target, other) && overlaps(other, target))
      .map((other) => ({ file, row: target.row, column: 'valid_from', value: target.validFrom, reason: `overlaps the ${other.kind.replace('_', ' ')} of row ${other.row}` })),
  );
  if (clashes.length > 0) throw new LoadRejectedError(file, clashes);

  await withTransaction(handle, async (session) => {
    const indicators = new Map((await session.query<{ id: number; code: string }>(`select id, code from indicators`)).map((row) => [row.code, row.id]));
    const networks = new Map((await session.query<{ id: number; code: string }>(`select id, code from networks`)).map((row) => [row.code, row.id]));
    const stored = await session.query<{ indicator: string; kind: TargetRow['kind']; network: string | null; valid_from: string; valid_to: string | null }>(
      `select i.code as indicator, t.kind::text as kind, n.code as network, t.valid_from::text as valid_from, t.valid_to::text as valid_to
       from indicator_targets t join indicators i on i.id = t.indicator_id left join networks n on n.id = t.network_id`,
    );
    const problems: LoadProblem[] = targets.flatMap((target) => [
      ...(indicators.has(target.indicator) ? [] : [{ file, row: target.row, column: 'indicator', value: target.indicator, reason: 'unknown indicator' }]),
      ...(target.network === null || networks.has(target.network) ? [] : [{ file, row: target.row, column: 'network', value: target.network, reason: 'unknown network' }]),
      // A stored row with the same start is the one this row replaces.
      ...stored
        .filter((other) => sameStandard(target, other) && other.valid_from !== target.validFrom && overlaps({ validFrom: other.valid_from, validTo: other.valid_to }, target))
        .map((other) => ({ file, row: target.row, column: 'valid_from', value: target.validFrom, reason: `overlaps the stored ${other.kind.replace('_', ' ')} from ${other.valid_from}` })),
    ]);
    if (problems.length > 0) throw new LoadRejectedError(file, problems);
    await session.run(
      handle.db
        .insert(schema.indicatorTargets)
        .values(
          targets.map((t) => ({
            indicatorId: indicators.get(t.indicator)!,
            kind: t.kind,
            networkId: t.network === null ? null : networks.get(t.network)!,
            validFrom: t.validFrom,
            validTo: t.validTo,
            value: t.value,
            source: t.source,
          })),
        )
        .onConflictDoUpdate({
          target: [schema.indicatorTargets.indicatorId, schema.indicatorTargets.kind, schema.indicatorTargets.validFrom, schema.indicatorTargets.networkId],
          set: { validTo: excluded('valid_to'), value: excluded('value'), source: excluded('source') },
        }),
    );
  });
  return targets.length;
}
