import { and, asc, eq, exists, sql } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import type { IndicatorFunnelOptions } from '../analysis/indicator-funnel';
import { peerFunnel } from '../analysis/peer-funnel';
import { indicatorPeriods, type IndicatorRecord, type PeriodRecord } from './catalogue.queries';
import { periodObservations } from './observations.queries';

const { indicators, observations, networkMemberships } = schema;

/**
 * The indicators an organisation reports, or that any member of a network (at any time) reports, in the
 * catalogue's order. Which members count in a given period is decided per period, from the dated memberships.
 */
export function indicatorsReportedBy(db: Database, by: { organisationId: number } | { networkId: number }): Promise<IndicatorRecord[]> {
  const reported =
    'organisationId' in by
      ? db.select({ one: sql`1` }).from(observations).where(and(eq(observations.indicatorId, indicators.id), eq(observations.organisationId, by.organisationId)))
      : db
          .select({ one: sql`1` })
          .from(observations)
          .innerJoin(networkMemberships, eq(networkMemberships.organisationId, observations.organisationId))
          .where(and(eq(observations.indicatorId, indicators.id), eq(networkMemberships.networkId, by.networkId)));
  return db.select().from(indicators).where(exists(reported)).orderBy(asc(indicators.domain), asc(indicators.code));
}

/** An indicator's periods up to and including the one labelled (default: its latest), oldest first; undefined when it has no such period. */
export async function periodsUpTo(db: Database, indicatorId: number, label: string | undefined): Promise<PeriodRecord[] | undefined> {
  const all = await indicatorPeriods(db, indicatorId);
  const index = label === undefined ? all.length - 1 : all.findIndex((period) => period.label === label);
  return index < 0 ? undefined : all.slice(0, index + 1);
}

/** Each period's peer group (every provider reporting the indicator then, small numbers withheld) and its funnel, in the order given. */
export function loadPeerFunnels(db: Database, indicator: IndicatorRecord, periods: readonly PeriodRecord[], options: IndicatorFunnelOptions, suppressionThreshold: number) {
  return Promise.all(
    periods.map(async (period) => {
      const rows = await periodObservations(db, indicator, period, suppressionThreshold);
      return { period, rows, peer: peerFunnel(indicator, rows, options) };
    }),
  );
}
