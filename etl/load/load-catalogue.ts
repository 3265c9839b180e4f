import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema, withTransaction, type DatabaseHandle } from '../../db';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { excluded, indicatorRows, jsonRows, parseIndicators, readJson, upsertIndicators, validateRows } from './load-reference';

/** The shipped catalogue of standard national indicators. */
export const nationalCatalogue = join(dirname(fileURLToPath(import.meta.url)), '..', 'catalogue', 'national-indicators.json');

const targetColumns = ['indicator_code', 'kind', 'valid_from', 'valid_to', 'value', 'source', 'note'] as const;
const targetKinds = ['operational', 'constitutional'] as const;

/**
 * A catalogue file: `{ "indicators": [...], "targets": [...] }`, the indicators as the indicators file has them,
 * the targets by indicator and date range. One transaction; indicators upserted by code, targets by indicator,
 * kind and start, and a catalogue indicator's targets the file no longer lists removed, so a reload changes nothing.
 */
export async function loadCatalogue(handle: DatabaseHandle, path = nationalCatalogue): Promise<{ indicators: number; targets: number }> {
  const file = basename(path);
  const parsed = (await readJson(path)) as { indicators?: unknown; targets?: unknown } | null;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new LoadRejectedError(file, [{ file, row: 0, reason: 'the catalogue must be an object with "indicators" and "targets" arrays' }]);
  }
  const indicators = parseIndicators(file, indicatorRows(file, parsed.indicators));
  const codes = new Set(indicators.map((indicator) => indicator.code));
  const targets = validateRows(
    file,
    jsonRows(file, parsed.targets ?? [], targetColumns, 'target'),
    (r) => {
      const target = {
        row: r.row,
        indicatorCode: r.text('indicator_code'),
        kind: r.choice('kind', targetKinds),
        validFrom: r.date('valid_from', true) ?? '',
        validTo: r.date('valid_to', false),
        value: r.number('value', { required: true }) ?? 0,
        source: r.text('source'),
        note: r.optionalText('note'),
      };
      if (target.indicatorCode && !codes.has(target.indicatorCode)) r.fail('indicator_code', target.indicatorCode, 'not an indicator of this catalogue');
      if (target.validFrom && target.validTo && target.validTo <= target.validFrom) r.fail('valid_to', target.validTo, 'must be after valid_from');
      return target;
    },
    (target) => `${target.indicatorCode}|${target.kind}|${target.validFrom}`,
  );
  // Two standards of one kind in force on the same day would leave the target of a period ambiguous.
  const problems: LoadProblem[] = targets.flatMap((target, i) =>
    targets
      .slice(0, i)
      .filter((other) => other.indicatorCode === target.indicatorCode && other.kind === target.kind && overlaps(other, target))
      .map((other) => ({ file, row: target.row, column: 'valid_from', value: target.validFrom, reason: `overlaps the ${other.kind} target of row ${other.row}` })),
  );
  if (problems.length > 0) throw new LoadRejectedError(file, problems);

  await withTransaction(handle, async (session) => {
    await upsertIndicators(handle, session, indicators);
    const ids = new Map(
      (await session.query<{ id: number; code: string }>(`select id, code from indicators where code = any($1::text[])`, [[...codes]])).map((row) => [row.code, row.id]),
    );
    await session.query(
      `delete from indicator_targets t
       where t.indicator_id = any($1::int[]) and t.network_id is null and t.kind <> 'local_ambition'
         and not exists (select 1 from unnest($2::int[], $3::text[], $4::text[]::date[]) as kept(indicator_id, kind, valid_from)
                         where kept.indicator_id = t.indicator_id and kept.kind = t.kind::text and kept.valid_from = t.valid_from)`,
      [[...ids.values()], targets.map((t) => ids.get(t.indicatorCode)!), targets.map((t) => t.kind), targets.map((t) => t.validFrom)],
    );
    if (targets.length > 0) {
      await session.run(
        handle.db
          .insert(schema.indicatorTargets)
          .values(targets.map(({ indicatorCode, kind, validFrom, validTo, value, source, note }) => ({ indicatorId: ids.get(indicatorCode)!, kind, validFrom, validTo, value, source, note })))
          .onConflictDoUpdate({
            target: [schema.indicatorTargets.indicatorId, schema.indicatorTargets.kind, schema.indicatorTargets.validFrom, schema.indicatorTargets.networkId],
            set: { validTo: excluded('valid_to'), value: excluded('value'), source: excluded('source'), note: excluded('note') },
          }),
      );
    }
  });
  return { indicators: indicators.length, targets: targets.length };
}

const overlaps = (a: { validFrom: string; validTo: string | null }, b: { validFrom: string; validTo: string | null }) =>
  (a.validTo === null || b.validFrom < a.validTo) && (b.validTo === null || a.validFrom < b.validTo);
