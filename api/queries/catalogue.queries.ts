import { and, asc, count, desc, eq, exists, gt, inArray, isNull, lte, or, sql, type SQL } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { canSeeNetwork, type Identity } from '../auth/identity';
import { ApiError } from '../errors';
import type { IndicatorDefinition } from '../analysis/types';
import type { FunnelConvention } from '../stats';

const { indicators, periods, observations, networks, networkMemberships, organisations } = schema;

export type IndicatorRecord = IndicatorDefinition & { id: number; domain: string; definition: string | null; source: string | null; defaultConvention: FunnelConvention | null };

export async function findIndicator(db: Database, code: string): Promise<IndicatorRecord> {
  const [indicator] = await db.select().from(indicators).where(eq(indicators.code, code));
  if (!indicator) throw new ApiError(404, 'not_found', `No indicator with code "${code}"`, 'indicator');
  return indicator;
}

/** A network by code; a restricted one the identity may not see answers exactly as an unknown one, so its existence does not leak. */
export async function findNetwork(db: Database, code: string, identity: Identity) {
  const [network] = await db.select().from(networks).where(eq(networks.code, code));
  if (!network || !canSeeNetwork(identity, network)) throw new ApiError(404, 'not_found', `No network with code "${code}"`, 'network');
  return network;
}

/** The condition on networks that keeps to those the identity may see (none for an admin). */
export function visibleNetworks(identity: Identity): SQL | undefined {
  if (identity.role === 'admin') return undefined;
  const memberOf = [...identity.networkIds];
  return memberOf.length === 0 ? eq(networks.restricted, false) : or(eq(networks.restricted, false), inArray(networks.id, memberOf));
}

export async function findOrganisation(db: Database, code: string) {
  const [organisation] = await db.select().from(organisations).where(eq(organisations.code, code));
  if (!organisation) throw new ApiError(404, 'not_found', `No organisation with code "${code}"`, 'organisation');
  return organisation;
}

/** The periods an indicator has observations in, oldest first, with how many providers reported. */
export function indicatorPeriods(db: Database, indicatorId: number) {
  return db
    .select({ id: periods.id, label: periods.label, startDate: periods.startDate, endDate: periods.endDate, granularity: periods.granularity, providers: count() })
    .from(observations)
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .where(eq(observations.indicatorId, indicatorId))
    .groupBy(periods.id)
    .orderBy(asc(periods.startDate), asc(periods.endDate));
}

export type PeriodRecord = Awaited<ReturnType<typeof indicatorPeriods>>[number];

/**
 * The named period of an indicator, or its latest; 404 when the indicator has no data for it. Looks the
 * period up through the (indicator, period) index rather than counting every observation of the indicator.
 */
export async function resolvePeriod(db: Database, indicatorId: number, label: string | undefined): Promise<Omit<PeriodRecord, 'providers'>> {
  const hasData = exists(
    db
      .select({ one: sql`1` })
      .from(observations)
      .where(and(eq(observations.indicatorId, indicatorId), eq(observations.periodId, periods.id))),
  );
  const [period] = await db
    .select({ id: periods.id, label: periods.label, startDate: periods.startDate, endDate: periods.endDate, granularity: periods.granularity })
    .from(periods)
    .where(and(hasData, label === undefined ? undefined : eq(periods.label, label)))
    .orderBy(desc(periods.startDate), desc(periods.endDate))
    .limit(1);
  if (!period) {
    throw new ApiError(404, 'not_found', label === undefined ? 'The indicator has no observations yet' : `The indicator has no observations for period "${label}"`, 'period');
  }
  return period;
}

/** Organisations that were members of a network on a date (valid_to is exclusive). */
export async function networkMemberCodes(db: Database, networkId: number, onDate: string): Promise<Set<string>> {
  const rows = await db
    .select({ code: organisations.code })
    .from(networkMemberships)
    .innerJoin(organisations, eq(organisations.id, networkMemberships.organisationId))
    .where(
      and(
        eq(networkMemberships.networkId, networkId),
        lte(networkMemberships.validFrom, onDate),
        or(isNull(networkMemberships.validTo), gt(networkMemberships.validTo, onDate)),
      ),
    );
  return new Set(rows.map((row) => row.code));
}

/** Latest period label across all indicators: the default "now" for network-wide views. */
export async function latestPeriodEnd(db: Database): Promise<string | undefined> {
  const [row] = await db.select({ endDate: sql<string>`max(${periods.endDate})` }).from(periods).innerJoin(observations, eq(observations.periodId, periods.id));
  return row?.endDate ?? undefined;
}


/** Every network with every dated membership it has had, by code. */
export function allMemberships(db: Database, identity: Identity) {
  return db
    .select({ networkCode: networks.code, organisationCode: organisations.code, validFrom: networkMemberships.validFrom, validTo: networkMemberships.validTo })
    .from(networkMemberships)
    .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
    .innerJoin(organisations, eq(organisations.id, networkMemberships.organisationId))
    .where(visibleNetworks(identity));
}

/** The indicators with any observations, in the catalogue's order. */
export function indicatorsWithData(db: Database): Promise<IndicatorRecord[]> {
  return db
    .select()
    .from(indicators)
    .where(exists(db.select({ one: sql`1` }).from(observations).where(eq(observations.indicatorId, indicators.id))))
    .orderBy(asc(indicators.domain), asc(indicators.code));
}
