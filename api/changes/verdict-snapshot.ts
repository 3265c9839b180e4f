import { and, asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Database } from '../../db';
import { funnelChance } from '../analysis/funnel-chance';
import { peerFunnel, type PeerFunnel } from '../analysis/peer-funnel';
import type { Disclosed } from '../analysis/suppression';
import type { ProviderObservation } from '../analysis/types';
import { persistentOutliers } from '../analysis/variation-findings';
import type { IndicatorRecord, PeriodRecord } from '../queries/catalogue.queries';
import { disclosedRows } from '../queries/disclosure.queries';
import { measureFigures } from '../queries/observations.queries';
import { funnelMethodQuery, funnelOptions } from '../routes/funnel-views';
import type { Verdict } from './verdict-diff';

/** An indicator × period a load or rollback writes. */
export interface TouchedSlice {
  indicatorId: number;
  periodId: number;
}

/** Periods in a row outside the same 95 % limit that make a persistent outlier: the variation finder's default. */
export const persistencePeriods = 4;

export interface SliceVerdicts {
  indicator: IndicatorRecord;
  period: Pick<PeriodRecord, 'id' | 'label' | 'startDate' | 'endDate'>;
  /** The period these verdicts are of: the slice's own when it has figures, else the indicator's latest before it (null: none). */
  of: Pick<PeriodRecord, 'id' | 'label'> | null;
  verdicts: Map<string, Verdict>;
  /** Provider names by code, judged or withheld. */
  names: Map<string, string>;
  chance: { judged: number; beyond95: number; beyond998: number };
}

export interface IndicatorPersistence {
  indicator: IndicatorRecord;
  /** The latest period with figures, whose window of `persistencePeriods` the set is of. */
  period: Pick<PeriodRecord, 'id' | 'label' | 'endDate'> | null;
  codes: Set<string>;
  names: Map<string, string>;
}

/** One period's funnel of all providers, with the disclosed rows it was computed from (as text, to tell whether they changed). */
interface PeriodFunnel {
  period: PeriodRecord;
  rows: Disclosed<ProviderObservation>[];
  peer: PeerFunnel;
  inputs: string;
}

export interface VerdictSnapshot {
  slices: Map<string, SliceVerdicts>;
  persistence: Map<number, IndicatorPersistence>;
  /** The funnels computed, by indicator and period (sliceKey): a later snapshot reuses those whose disclosed rows are the same. */
  funnels: Map<string, PeriodFunnel>;
}

export const sliceKey = (slice: TouchedSlice) => `${slice.indicatorId}|${slice.periodId}`;

/** The funnel's method as every view uses it without parameters: each indicator's default convention, the default trimming. */
const defaultMethod = z.object(funnelMethodQuery).parse({});

/**
 * The funnel verdicts of the touched slices as they stand now (read through `db`, which may be a load's own
 * transaction), each judged by the funnel of all providers with the indicator's default convention and
 * overdispersion adjustment, small numbers withheld at `threshold` exactly as the API withholds them
 * (disclosedRows, as periodObservations and loadPeerFunnels read a funnel's peers). A slice without figures yet
 * is represented by the indicator's latest earlier period, so a new quarter's verdicts are compared with the
 * quarter the reader last saw. Per touched indicator, the persistent outliers of its latest `persistencePeriods`
 * periods (persistentOutliers, as the variation finder lists them).
 *
 * The cost is in round trips and funnels, so each indicator's periods are read in one query and disclosed in one
 * call (disclosure is per cell and its overlapping cells, so reading the periods together withholds exactly what
 * reading them one by one does), and a funnel of `earlier` (the snapshot before a load) whose disclosed rows are
 * the same now is not computed again: a funnel is a function of its indicator and rows alone. `changed`, when
 * known, names the slices whose stored rows differ from when `earlier` was taken: a period of an indicator none
 * of whose changed periods overlaps it has the same disclosed rows (disclosure looks only at the indicator's
 * cells over overlapping dates), so it is not even read again.
 */
export async function verdictSnapshot(
  db: Database,
  touched: readonly TouchedSlice[],
  threshold: number,
  earlier?: VerdictSnapshot,
  changed?: readonly TouchedSlice[],
): Promise<VerdictSnapshot> {
  const indicatorIds = [...new Set(touched.map((slice) => slice.indicatorId))];
  const periodIds = [...new Set(touched.map((slice) => slice.periodId))];
  const indicators = indicatorIds.length ? await db.select().from(schema.indicators).where(inArray(schema.indicators.id, indicatorIds)) : [];
  const periods = periodIds.length ? await db.select().from(schema.periods).where(inArray(schema.periods.id, periodIds)) : [];
  const periodById = new Map(periods.map((period) => [period.id, period]));
  const withDataOf = await periodsWithData(db, indicatorIds);
  const slices = new Map<string, SliceVerdicts>();
  const persistence = new Map<number, IndicatorPersistence>();
  const funnels = new Map<string, PeriodFunnel>();
  for (const indicator of indicators) {
    const withData = withDataOf.get(indicator.id) ?? [];
    const own = touched.filter((one) => one.indicatorId === indicator.id);
    const ofSlice = own.map((slice) => {
      const period = periodById.get(slice.periodId)!;
      const of = withData.find((one) => one.id === period.id) ?? withData.filter((one) => one.startDate < period.startDate).at(-1) ?? null;
      return { slice, period, of };
    });
    const window = withData.slice(-persistencePeriods);
    const wanted = new Map<number, PeriodRecord>();
    for (const { of } of ofSlice) if (of) wanted.set(of.id, of);
    if (window.length === persistencePeriods) for (const period of window) wanted.set(period.id, period);
    const unchanged = unchangedSince(earlier, changed, indicator, withData, [...wanted.values()]);
    const rowsOf = await disclosedPeriods(db, indicator, [...wanted.values()].filter((period) => !unchanged.has(period.id)), threshold);
    const options = funnelOptions(defaultMethod, indicator);
    const indicatorText = JSON.stringify(indicator);
    for (const period of wanted.values()) {
      const key = sliceKey({ indicatorId: indicator.id, periodId: period.id });
      const same = unchanged.get(period.id);
      if (same) {
        funnels.set(key, same);
        continue;
      }
      const rows = rowsOf.get(period.id) ?? [];
      const inputs = `${indicatorText}\n${JSON.stringify(rows)}`;
      const was = earlier?.funnels.get(key);
      funnels.set(key, { period, rows, inputs, peer: was?.inputs === inputs ? was.peer : peerFunnel(indicator, rows, options) });
    }
    const funnelOf = (period: PeriodRecord) => funnels.get(sliceKey({ indicatorId: indicator.id, periodId: period.id }))!;
    for (const { slice, period, of } of ofSlice) {
      slices.set(sliceKey(slice), { indicator, period, of: of && { id: of.id, label: of.label }, ...verdictsOf(of ? funnelOf(of) : undefined) });
    }
    const latest = window.at(-1);
    const windowFunnels = window.length === persistencePeriods ? window.map(funnelOf) : [];
    const everyone = new Set(latest && wanted.has(latest.id) ? funnelOf(latest).rows.map((row) => row.organisationCode) : []);
    const outliers = windowFunnels.length ? persistentOutliers(indicator, windowFunnels, everyone, persistencePeriods) : [];
    persistence.set(indicator.id, {
      indicator,
      period: latest ? { id: latest.id, label: latest.label, endDate: latest.endDate } : null,
      codes: new Set(outliers.map((outlier) => outlier.organisation.code)),
      names: new Map(outliers.map((outlier) => [outlier.organisation.code, outlier.organisation.name])),
    });
  }
  return { slices, persistence, funnels };
}

/**
 * The funnels of `earlier` that stand as they were: of a wanted period with the same record, when the changed
 * slices are known and none of the indicator's overlaps it in dates. Empty when the changes are not known, or
 * one of the indicator's changed periods has no figures now (its dates unknown here).
 */
function unchangedSince(
  earlier: VerdictSnapshot | undefined,
  changed: readonly TouchedSlice[] | undefined,
  indicator: IndicatorRecord,
  withData: readonly PeriodRecord[],
  wanted: readonly PeriodRecord[],
): Map<number, PeriodFunnel> {
  const same = new Map<number, PeriodFunnel>();
  if (!earlier || !changed) return same;
  const byId = new Map(withData.map((period) => [period.id, period]));
  const changedPeriods = changed.filter((slice) => slice.indicatorId === indicator.id).map((slice) => byId.get(slice.periodId));
  if (changedPeriods.some((period) => period === undefined)) return same;
  const indicatorText = JSON.stringify(indicator);
  for (const period of wanted) {
    const was = earlier.funnels.get(sliceKey({ indicatorId: indicator.id, periodId: period.id }));
    if (!was || JSON.stringify(was.period) !== JSON.stringify(period) || !was.inputs.startsWith(`${indicatorText}\n`)) continue;
    if (changedPeriods.some((other) => other!.startDate <= period.endDate && other!.endDate >= period.startDate)) continue;
    same.set(period.id, was);
  }
  return same;
}

/** Each indicator's periods with figures, oldest first (as indicatorPeriods gives them), in one query for all. */
async function periodsWithData(db: Database, indicatorIds: readonly number[]): Promise<Map<number, PeriodRecord[]>> {
  const byIndicator = new Map<number, PeriodRecord[]>();
  if (indicatorIds.length === 0) return byIndicator;
  const { observations, periods } = schema;
  const rows = await db
    .select({ indicatorId: observations.indicatorId, id: periods.id, label: periods.label, startDate: periods.startDate, endDate: periods.endDate, granularity: periods.granularity, providers: count() })
    .from(observations)
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .where(inArray(observations.indicatorId, [...indicatorIds]))
    .groupBy(observations.indicatorId, periods.id)
    .orderBy(asc(observations.indicatorId), asc(periods.startDate), asc(periods.endDate));
  for (const { indicatorId, ...period } of rows) {
    const list = byIndicator.get(indicatorId);
    if (list) list.push(period);
    else byIndicator.set(indicatorId, [period]);
  }
  return byIndicator;
}

/**
 * Every provider's figures for the indicator in each of the periods, small numbers withheld: what
 * periodObservations reads period by period, each period's rows in organisation code order, read in one query
 * and passed through disclosedRows (the one suppression path) together.
 */
async function disclosedPeriods(db: Database, indicator: IndicatorRecord, periods: readonly PeriodRecord[], threshold: number): Promise<Map<number, Disclosed<ProviderObservation>[]>> {
  const byPeriod = new Map<number, Disclosed<ProviderObservation>[]>();
  if (periods.length === 0) return byPeriod;
  const { observations, organisations } = schema;
  const periodById = new Map(periods.map((period) => [period.id, period]));
  const read = await db
    .select({ periodId: observations.periodId, organisationId: organisations.id, organisationCode: organisations.code, organisationName: organisations.name, ...measureFigures })
    .from(observations)
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(and(eq(observations.indicatorId, indicator.id), inArray(observations.periodId, [...periodById.keys()])))
    .orderBy(asc(observations.periodId), asc(organisations.code));
  const periodIds = read.map((row) => row.periodId);
  const rows = read.map(({ periodId, ...row }) => ({ ...row, startDate: periodById.get(periodId)!.startDate, endDate: periodById.get(periodId)!.endDate }));
  const disclosed = await disclosedRows(db, indicator, rows, threshold);
  disclosed.forEach((row, index) => {
    const list = byPeriod.get(periodIds[index]);
    if (list) list.push(row);
    else byPeriod.set(periodIds[index], [row]);
  });
  return byPeriod;
}

function verdictsOf(funnel: { peer: PeerFunnel; rows: readonly { organisationCode: string; organisationName: string }[] } | undefined): Pick<SliceVerdicts, 'verdicts' | 'names' | 'chance'> {
  const verdicts = new Map<string, Verdict>();
  const names = new Map((funnel?.rows ?? []).map((row) => [row.organisationCode, row.organisationName]));
  if (!funnel?.peer.available) return { verdicts, names, chance: { judged: 0, beyond95: 0, beyond998: 0 } };
  for (const provider of funnel.peer.funnel.providers) verdicts.set(provider.code, { band: provider.band, judgement: provider.judgement });
  const chance = funnelChance(funnel.peer.funnel.providers);
  return { verdicts, names, chance: { judged: chance.judged, beyond95: chance.limits[0].observed, beyond998: chance.limits[1].observed } };
}

/** The organisations' ids by code. */
export async function organisationIdsOf(db: Database, codes: readonly string[]): Promise<Map<string, number>> {
  if (codes.length === 0) return new Map();
  const rows = await db.select({ id: schema.organisations.id, code: schema.organisations.code }).from(schema.organisations).where(inArray(schema.organisations.code, [...codes]));
  return new Map(rows.map((row) => [row.code, row.id]));
}
