import { and, asc, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { networkSeries } from '../../analysis/network-series';
import { ApiError } from '../../errors';
import { findIndicator, findNetwork, findOrganisation } from '../../queries/catalogue.queries';
import { disclosedRows } from '../../queries/disclosure.queries';
import { measureFigures, organisationSeries } from '../../queries/observations.queries';

const { observations, periods, networkMemberships } = schema;

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
