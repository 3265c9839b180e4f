import { and, eq, gte, inArray, isNotNull, lte } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { isSuppressed, withhold, type Disclosed } from '../analysis/suppression';
import type { IndicatorDefinition, ObservationFigures } from '../analysis/types';
import { measureFigures } from './observations.queries';

const { observations, organisations, periods } = schema;

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
  const parentOf = await organisationParents(db);
  const rowOrganisations = new Set(rows.map((row) => row.organisationId));
  const withDescendants = descendantsOrSelf(rowOrganisations, parentOf);
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
  // Each suppressed cell marks itself and its organisation's ancestors over its dates.
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

async function organisationParents(db: Database): Promise<Map<number, number>> {
  const links = await db.select({ id: organisations.id, parentId: organisations.parentId }).from(organisations).where(isNotNull(organisations.parentId));
  return new Map(links.map((link) => [link.id, link.parentId!]));
}

function descendantsOrSelf(ids: ReadonlySet<number>, parentOf: ReadonlyMap<number, number>): Set<number> {
  const found = new Set(ids);
  const childrenOf = new Map<number, number[]>();
  for (const [child, parent] of parentOf) {
    const children = childrenOf.get(parent);
    if (children) children.push(child);
    else childrenOf.set(parent, [child]);
  }
  const queue = [...ids];
  while (queue.length > 0) {
    for (const child of childrenOf.get(queue.pop()!) ?? []) {
      if (!found.has(child)) {
        found.add(child);
        queue.push(child);
      }
    }
  }
  return found;
}

const minimum = (dates: string[]) => dates.reduce((least, date) => (date < least ? date : least));
const maximum = (dates: string[]) => dates.reduce((most, date) => (date > most ? date : most));
