import { and, eq, gte, inArray, lte, sql } from 'drizzle-orm';
import { queryRows, schema, type Database } from '../../db';
import { isSuppressed, withhold, type Disclosed } from '../analysis/suppression';
import type { IndicatorDefinition, ObservationFigures } from '../analysis/types';
import { measureFigures } from './observations.queries';

const { observations, periods } = schema;

/** Where a stored cell sits: whose figures, over which dates. */
export interface CellPlace {
  organisationId: number;
  startDate: string;
  endDate: string;
}

const overlaps = (a: { startDate: string; endDate: string }, b: { startDate: string; endDate: string }) => a.startDate <= b.endDate && a.endDate >= b.startDate;

/**
 * The one path stored figures leave by. Primary suppression withholds a cell whose count is small
 * (`isSuppressed`); secondary suppression withholds every cell of the same indicator whose figures contain a
 * suppressed cell's: the same organisation or one of its ancestors (a trust's count holds its sites'), over a
 * period that overlaps (a year holds its quarters, rolling windows overlap), so a total can never be differenced
 * back to a small count. A withheld cell has no figures at all (`withhold`), so no statistic built on the rows
 * (benchmark, φ, τ², pooled values, SPC centres) depends on it. Rows must be of `indicator`.
 */
export async function disclosedRows<T extends ObservationFigures & CellPlace>(
  db: Database,
  indicator: Pick<IndicatorDefinition, 'measureKind'> & { id: number },
  rows: readonly T[],
  threshold: number,
): Promise<Disclosed<T>[]> {
  if (threshold <= 0 || rows.length === 0) return rows.map((row) => ({ ...row, suppressed: false }));
  const rowOrganisations = new Set(rows.map((row) => row.organisationId));
  const parentOf = await parentLinksBeneath(db, rowOrganisations);
  const withDescendants = new Set([...rowOrganisations, ...parentOf.keys()]);
  const window = { startDate: minimum(rows.map((row) => row.startDate)), endDate: maximum(rows.map((row) => row.endDate)) };
  // Usually nothing else can hold a row's figures (no sub-organisations, no overlapping periods): the rows are all there is to check.
  const related =
    withDescendants.size === rowOrganisations.size && !(await otherPeriodOverlaps(db, rows, window))
      ? rows
      : await db
          .select({ organisationId: observations.organisationId, startDate: periods.startDate, endDate: periods.endDate, ...measureFigures })
          .from(observations)
          .innerJoin(periods, eq(periods.id, observations.periodId))
          .where(
            and(
              eq(observations.indicatorId, indicator.id),
              inArray(observations.organisationId, [...withDescendants]),
              lte(periods.startDate, window.endDate),
              gte(periods.endDate, window.startDate),
            ),
          );
  // Each suppressed cell marks itself and its organisation's ancestors (up to the rows' organisations) over its dates.
  const containsSuppressed = new Map<number, { startDate: string; endDate: string }[]>();
  for (const cell of related) {
    if (!isSuppressed(indicator, cell, threshold)) continue;
    for (let id: number | undefined = cell.organisationId, hops = 0; id !== undefined && hops < 64; id = parentOf.get(id), hops++) {
      const spans = containsSuppressed.get(id);
      if (spans) spans.push(cell);
      else containsSuppressed.set(id, [cell]);
    }
  }
  return rows.map((row) => {
    const withheld = isSuppressed(indicator, row, threshold) || (containsSuppressed.get(row.organisationId) ?? []).some((span) => overlaps(span, row));
    return withheld ? withhold(row) : { ...row, suppressed: false };
  });
}

/** Whether any stored period other than a row's own overlaps a row's period (a year and its quarters, rolling windows). */
async function otherPeriodOverlaps(db: Database, rows: readonly CellPlace[], window: { startDate: string; endDate: string }): Promise<boolean> {
  const spans = await db
    .select({ startDate: periods.startDate, endDate: periods.endDate })
    .from(periods)
    .where(and(lte(periods.startDate, window.endDate), gte(periods.endDate, window.startDate)));
  const rowSpans = new Set(rows.map((row) => `${row.startDate}/${row.endDate}`));
  const own = spans.filter((span) => rowSpans.has(`${span.startDate}/${span.endDate}`));
  return spans.some((span) => own.some((row) => overlaps(span, row) && (span.startDate !== row.startDate || span.endDate !== row.endDate)));
}

/**
 * The parent links of every organisation beneath the given ones (their descendants, child → parent), read
 * recursively: usually none, as trusts and practices have no sub-organisations, so a read costs one small query.
 */
async function parentLinksBeneath(db: Database, ids: ReadonlySet<number>): Promise<Map<number, number>> {
  const links = await queryRows<{ id: number; parent_id: number }>(
    db,
    sql`with recursive beneath(id, parent_id) as (
          select id, parent_id from organisations where parent_id in (${sql.join([...ids].map((id) => sql`${id}`), sql`, `)})
          union
          select o.id, o.parent_id from organisations o join beneath b on o.parent_id = b.id
        )
        select id, parent_id from beneath`,
  );
  return new Map(links.map((link) => [Number(link.id), Number(link.parent_id)]));
}

const minimum = (dates: string[]) => dates.reduce((least, date) => (date < least ? date : least));
const maximum = (dates: string[]) => dates.reduce((most, date) => (date > most ? date : most));
