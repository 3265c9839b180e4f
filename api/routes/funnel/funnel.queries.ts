import type { Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { indicatorFunnel } from '../../analysis/indicator-funnel';
import { findIndicator, findNetwork, networkMemberCodes, resolvePeriod } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { periodTarget } from '../../queries/targets.queries';
import type { FunnelConvention, OverdispersionAdjustment, TrimMethod } from '../../stats';
import { indicatorFunnelOptions } from '../funnel-views';

export interface FunnelRequest {
  indicator: string;
  period?: string;
  network?: string;
  convention?: FunnelConvention;
  adjustment?: OverdispersionAdjustment;
  trim: number;
  trimMethod?: TrimMethod;
  benchmark: 'all' | 'target';
  suppressionThreshold: number;
}

/**
 * Loads an indicator's peer group for a period and runs its funnel with the convention asked for or the
 * indicator's own; network members are flagged; the target is the one in force at the period's end.
 */
export async function loadIndicatorFunnel(db: Database, request: FunnelRequest, identity: Identity) {
  const indicator = await findIndicator(db, request.indicator);
  const period = await resolvePeriod(db, indicator.id, request.period);
  const network = request.network === undefined ? undefined : await findNetwork(db, request.network, identity);
  const members = network ? await networkMemberCodes(db, network.id, period.endDate) : undefined;
  const rows = await periodObservations(db, indicator, period, request.suppressionThreshold);
  const target = await periodTarget(db, indicator, period);
  const options = indicatorFunnelOptions(request, indicator);
  const funnel = indicatorFunnel(indicator, rows, { ...options, benchmark: request.benchmark === 'target' ? target?.value : undefined });
  return { indicator, period, network, members, target, options, funnel };
}
