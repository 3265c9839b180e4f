import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema, type Database } from '../../db';
import { funnelChance } from '../analysis/funnel-chance';
import type { PeerFunnel } from '../analysis/peer-funnel';
import { persistentOutliers } from '../analysis/variation-findings';
import { indicatorPeriods, type IndicatorRecord, type PeriodRecord } from '../queries/catalogue.queries';
import { loadPeerFunnels } from '../queries/peer-funnels.queries';
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

export interface VerdictSnapshot {
  slices: Map<string, SliceVerdicts>;
  persistence: Map<number, IndicatorPersistence>;
}

export const sliceKey = (slice: TouchedSlice) => `${slice.indicatorId}|${slice.periodId}`;

/** The funnel's method as every view uses it without parameters: each indicator's default convention, the default trimming. */
const defaultMethod = z.object(funnelMethodQuery).parse({});

/**
 * The funnel verdicts of the touched slices as they stand now (read through `db`, which may be a load's own
 * transaction), each judged by the funnel of all providers with the indicator's default convention and
 * overdispersion adjustment, small numbers withheld at `threshold` exactly as the API withholds them
 * (loadPeerFunnels). A slice without figures yet is represented by the indicator's latest earlier period, so a
 * new quarter's verdicts are compared with the quarter the reader last saw. Per touched indicator, the
 * persistent outliers of its latest `persistencePeriods` periods (persistentOutliers, as the variation finder lists them).
 */
export async function verdictSnapshot(db: Database, touched: readonly TouchedSlice[], threshold: number): Promise<VerdictSnapshot> {
  const indicatorIds = [...new Set(touched.map((slice) => slice.indicatorId))];
  const periodIds = [...new Set(touched.map((slice) => slice.periodId))];
  const indicators = indicatorIds.length ? await db.select().from(schema.indicators).where(inArray(schema.indicators.id, indicatorIds)) : [];
  const periods = periodIds.length ? await db.select().from(schema.periods).where(inArray(schema.periods.id, periodIds)) : [];
  const periodById = new Map(periods.map((period) => [period.id, period]));
  const slices = new Map<string, SliceVerdicts>();
  const persistence = new Map<number, IndicatorPersistence>();
  for (const indicator of indicators) {
    const options = funnelOptions(defaultMethod, indicator);
    const withData = await indicatorPeriods(db, indicator.id);
    const funnelOf = new Map<number, Awaited<ReturnType<typeof loadPeerFunnels>>[number]>();
    const funnels = async (wanted: readonly PeriodRecord[]) => {
      const missing = wanted.filter((period) => !funnelOf.has(period.id));
      for (const one of await loadPeerFunnels(db, indicator, missing, options, threshold)) funnelOf.set(one.period.id, one);
      return wanted.map((period) => funnelOf.get(period.id)!);
    };
    for (const slice of touched.filter((one) => one.indicatorId === indicator.id)) {
      const period = periodById.get(slice.periodId)!;
      const of = withData.find((one) => one.id === period.id) ?? withData.filter((one) => one.startDate < period.startDate).at(-1) ?? null;
      const [funnel] = of ? await funnels([of]) : [undefined];
      slices.set(sliceKey(slice), { indicator, period, of: of && { id: of.id, label: of.label }, ...verdictsOf(funnel) });
    }
    const window = withData.slice(-persistencePeriods);
    const latest = window.at(-1);
    const windowFunnels = window.length === persistencePeriods ? await funnels(window) : [];
    const everyone = new Set(latest ? (funnelOf.get(latest.id)?.rows ?? []).map((row) => row.organisationCode) : []);
    const outliers = windowFunnels.length ? persistentOutliers(indicator, windowFunnels, everyone, persistencePeriods) : [];
    persistence.set(indicator.id, {
      indicator,
      period: latest ? { id: latest.id, label: latest.label, endDate: latest.endDate } : null,
      codes: new Set(outliers.map((outlier) => outlier.organisation.code)),
      names: new Map(outliers.map((outlier) => [outlier.organisation.code, outlier.organisation.name])),
    });
  }
  return { slices, persistence };
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
