import type { Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { indicatorFunnel, type IndicatorFunnelOptions } from '../../analysis/indicator-funnel';
import { findIndicator, findNetwork, networkMemberCodes, resolvePeriod } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';

export interface FunnelRequest extends Omit<IndicatorFunnelOptions, 'benchmark'> {
  indicator: string;
  period?: string;
  network?: string;
  benchmark: 'all' | 'target';
  suppressionThreshold: number;
}

/** Loads an indicator's peer group for a period and runs its funnel; network members are flagged. */
export async function loadIndicatorFunnel(db: Database, request: FunnelRequest, identity: Identity) {
  const indicator = await findIndicator(db, request.indicator);
  const period = await resolvePeriod(db, indicator.id, request.period);
  const network = request.network === undefined ? undefined : await findNetwork(db, request.network, identity);
  const members = network ? await networkMemberCodes(db, network.id, period.endDate) : undefined;
  const rows = await periodObservations(db, indicator, period, request.suppressionThreshold);
  const funnel = indicatorFunnel(indicator, rows, {
    ...request,
    benchmark: request.benchmark === 'target' ? (indicator.target ?? undefined) : undefined,
  });
  return { indicator, period, network, members, funnel };
}
