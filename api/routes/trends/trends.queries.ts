import { and, asc, eq, gt, inArray, isNull, lte, or } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { networkSeries } from '../../analysis/network-series';
import { ApiError } from '../../errors';
import { findIndicator, findNetwork, findOrganisation, type IndicatorRecord } from '../../queries/catalogue.queries';
import { disclosedRows } from '../../queries/disclosure.queries';
import { measureFigures, organisationSeries } from '../../queries/observations.queries';
import type { ProviderObservation } from '../../analysis/types';
import type { Disclosed } from '../../analysis/suppression';

const { observations, periods, networkMemberships, organisations } = schema;

/**
 * The figures of a peer group's organisations for an indicator in every period, by period label, small numbers
 * withheld through the one disclosure path: what each period's peer benchmark is pooled from.
 */
export async function peerRowsByPeriod(db: Database, indicator: IndicatorRecord, codes: ReadonlySet<string>, suppressionThreshold: number) {
  const byPeriod = new Map<string, Disclosed<ProviderObservation>[]>();
  if (codes.size === 0) return byPeriod;
  const rows = await db
    .select({
      organisationId: observations.organisationId,
      organisationCode: organisations.code,
      organisationName: organisations.name,
      period: periods.label,
      startDate: periods.startDate,
      endDate: periods.endDate,
      ...measureFigures,
    })
    .from(observations)
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .innerJoin(organisations, eq(organisations.id, observations.organisationId))
    .where(and(eq(observations.indicatorId, indicator.id), inArray(organisations.code, [...codes])))
    .orderBy(asc(periods.startDate), asc(organisations.code));
  for (const row of await disclosedRows(db, indicator, rows, suppressionThreshold)) {
    const period = byPeriod.get(row.period);
    if (period) period.push(row);
    else byPeriod.set(row.period, [row]);
  }
  return byPeriod;
}

/** An indicator and organisation by code, and the organisation's figures for every period, oldest first, small numbers withheld. */
export async function loadProviderSeries(db: Database, indicatorCode: string, organisationCode: string, suppressionThreshold: number) {
  const indicator = await findIndicator(db, indicatorCode);
  const organisation = await findOrganisation(db, organisationCode);
  const series = await organisationSeries(db, indicator, organisation.id, suppressionThreshold);
  if (series.length === 0) throw new ApiError(404, 'not_found', `${organisation.code} has no observations of ${indicator.code}`, 'organisation');
  return { indicator, organisation, series };
}

/**
 * An indicator and network by code, and the network's pooled figures for every period, oldest first: in each
 * period the organisations that were members on its last day, as the funnel flags them, their small numbers
 * withheld before pooling.
 */
export async function loadNetworkSeries(db: Database, indicatorCode: string, networkCode: string, identity: Identity, suppressionThreshold: number) {
  const indicator = await findIndicator(db, indicatorCode);
  const network = await findNetwork(db, networkCode, identity);
  const rows = await db
    .select({
      organisationId: observations.organisationId,
      period: periods.label,
      startDate: periods.startDate,
      endDate: periods.endDate,
      ...measureFigures,
    })
    .from(observations)
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .innerJoin(
      networkMemberships,
      and(
        eq(networkMemberships.organisationId, observations.organisationId),
        eq(networkMemberships.networkId, network.id),
        lte(networkMemberships.validFrom, periods.endDate),
        or(isNull(networkMemberships.validTo), gt(networkMemberships.validTo, periods.endDate)),
      ),
    )
    .where(eq(observations.indicatorId, indicator.id))
    .orderBy(asc(periods.startDate), asc(periods.endDate));
  if (rows.length === 0) throw new ApiError(404, 'not_found', `No member of ${network.code} has observations of ${indicator.code}`, 'network');
  return { indicator, network, series: networkSeries(indicator, await disclosedRows(db, indicator, rows, suppressionThreshold)) };
}

/**
 * The organisations that were members of a network on a period's last day, each with its figures for the
 * indicator in every period up to that day, oldest first, small numbers withheld (as `organisationSeries` reads
 * one provider's): the series each member's SPC chart is drawn from.
 */
export async function loadMemberSeries(db: Database, indicator: IndicatorRecord, networkId: number, period: { endDate: string }, suppressionThreshold: number) {
  const members = await db
    .select({ id: organisations.id, code: organisations.code, name: organisations.name })
    .from(networkMemberships)
    .innerJoin(organisations, eq(organisations.id, networkMemberships.organisationId))
    .where(
      and(
        eq(networkMemberships.networkId, networkId),
        lte(networkMemberships.validFrom, period.endDate),
        or(isNull(networkMemberships.validTo), gt(networkMemberships.validTo, period.endDate)),
      ),
    )
    .orderBy(asc(organisations.name), asc(organisations.code));
  if (members.length === 0) return [];
  const rows = await db
    .select({ organisationId: observations.organisationId, periodId: periods.id, period: periods.label, startDate: periods.startDate, endDate: periods.endDate, ...measureFigures })
    .from(observations)
    .innerJoin(periods, eq(periods.id, observations.periodId))
    .where(and(eq(observations.indicatorId, indicator.id), inArray(observations.organisationId, [...new Set(members.map((member) => member.id))]), lte(periods.endDate, period.endDate)))
    .orderBy(asc(periods.startDate), asc(periods.endDate));
  const disclosed = await disclosedRows(db, indicator, rows, suppressionThreshold);
  const seriesOf = new Map<number, typeof disclosed>();
  for (const row of disclosed) {
    const series = seriesOf.get(row.organisationId);
    if (series) series.push(row);
    else seriesOf.set(row.organisationId, [row]);
  }
  // An organisation with two memberships of the network on the day is one member.
  const unique = [...new Map(members.map((member) => [member.id, member])).values()];
  return unique.map((member) => ({ code: member.code, name: member.name, series: seriesOf.get(member.id) ?? [] }));
}
