import type { TransactionSession } from '../../db';
import type { MeasureField } from '../sources/raw-observation';

/** An (indicator, period) slice a file revises: the unit the loader supersedes. */
export interface Slice {
  indicatorId: number;
  periodLabel: string;
}

export type Figures = Record<MeasureField, number | null>;

type Query = TransactionSession['query'];

const sliceJoin = `from observations o
  join periods p on p.id = o.period_id
  join unnest($1::int[], $2::text[]) as slice(indicator_id, label) on o.indicator_id = slice.indicator_id and p.label = slice.label`;

const sliceParams = (slices: readonly Slice[]) => [slices.map((slice) => slice.indicatorId), slices.map((slice) => slice.periodLabel)];

/**
 * A digest of which observations the slices hold now (their ids and batches): any load, rollback or
 * revision that touches the slices changes it, so a preview can tell that it has gone stale.
 */
export async function sliceDigest(query: Query, slices: readonly Slice[]): Promise<string> {
  const [row] = await query<{ digest: string }>(
    `select md5(coalesce(string_agg(o.id::text || ':' || o.load_batch_id::text, ',' order by o.id), '')) as digest ${sliceJoin}`,
    sliceParams(slices),
  );
  return row.digest;
}

/** The key of one organisation's observation in a slice, as currentFigures keys them. */
export const observationKey = (indicatorId: number, periodLabel: string, organisationCode: string) => `${indicatorId}|${periodLabel}|${organisationCode}`;

/**
 * The current figures of the slices only, keyed by observationKey, so a preview of a small file reads little
 * of a large database. Built straight from the rows: a slice can hold hundreds of thousands.
 */
export async function currentFigures(query: Query, slices: readonly Slice[]): Promise<Map<string, Figures>> {
  const rows = await query<Record<string, unknown>>(
    `select o.indicator_id, p.label, org.code, o.numerator, o.denominator, o.observed, o.expected, o.value, o.value_lower, o.value_upper
     ${sliceJoin}
     join organisations org on org.id = o.organisation_id`,
    sliceParams(slices),
  );
  const number = (value: unknown) => (value === null ? null : Number(value));
  const figures = new Map<string, Figures>();
  for (const row of rows) {
    figures.set(observationKey(Number(row.indicator_id), String(row.label), String(row.code)), {
      numerator: number(row.numerator),
      denominator: number(row.denominator),
      observed: number(row.observed),
      expected: number(row.expected),
      value: number(row.value),
      valueLower: number(row.value_lower),
      valueUpper: number(row.value_upper),
    });
  }
  return figures;
}
