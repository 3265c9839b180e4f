import type { Database } from '../../../db';
import { ApiError } from '../../errors';
import { findIndicator, findOrganisation } from '../../queries/catalogue.queries';
import { organisationSeries } from '../../queries/observations.queries';

/** An indicator and organisation by code, and the organisation's figures for every period, oldest first. */
export async function loadProviderSeries(db: Database, indicatorCode: string, organisationCode: string) {
  const indicator = await findIndicator(db, indicatorCode);
  const organisation = await findOrganisation(db, organisationCode);
  const series = await organisationSeries(db, indicator.id, organisation.id);
  if (series.length === 0) throw new ApiError(404, 'not_found', `${organisation.code} has no observations of ${indicator.code}`, 'organisation');
  return { indicator, organisation, series };
}
