import type { Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import { indicatorFunnel } from '../../analysis/indicator-funnel';
import { peerBenchmark, minimumPeers } from '../../analysis/peer-benchmark';
import { pooledValue } from '../../analysis/pooled-value';
import { ApiError } from '../../errors';
import { findIndicator, findNetwork, networkMemberCodes, resolvePeriod } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { resolvePeerGroup, type PeerGroupRequest } from '../../queries/peers.queries';
import { periodTargets } from '../../queries/targets.queries';
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
  benchmark: 'all' | 'network' | 'target' | 'peers';
  /** With benchmark=peers. */
  peerGroup?: PeerGroupRequest;
  providerLimits?: boolean;
  shrinkage?: boolean;
  fdrLevel?: number;
  suppressionThreshold: number;
}

/**
 * Loads an indicator's peer group for a period and runs its funnel with the convention asked for or the
 * indicator's own; network members are flagged; the target is the one in force at the period's end, and the
 * target lines every standard in force then (the network's local ambitions among them when one is asked for).
 * A network benchmark is the pooled value of the members whose figures are published: the rows come through
 * disclosure control, so a withheld member's counts are in no total. A peer benchmark (a saved set or the
 * nearest neighbours of one provider) draws the funnel of the peer group alone, its overdispersion estimated
 * over the group, centred on the published peers' pooled value (peerBenchmark).
 */
export async function loadIndicatorFunnel(db: Database, request: FunnelRequest, identity: Identity) {
  const indicator = await findIndicator(db, request.indicator);
  const period = await resolvePeriod(db, indicator.id, request.period);
  const network = request.network === undefined ? undefined : await findNetwork(db, request.network, identity);
  const members = network ? await networkMemberCodes(db, network.id, period.endDate) : undefined;
  let rows = await periodObservations(db, indicator, period, request.suppressionThreshold);
  const { target, lines: targetLines } = await periodTargets(db, indicator, period, network?.id);
  const options = indicatorFunnelOptions(request, indicator);
  let benchmark: number | undefined;
  if (request.benchmark === 'target') {
    if (target === null) throw new ApiError(400, 'invalid_parameter', `benchmark: ${indicator.code} has no target for ${period.label}`, 'benchmark');
    benchmark = target.value;
  } else if (request.benchmark === 'network') {
    if (!members) throw new ApiError(400, 'invalid_parameter', 'benchmark: network needs network=CODE, the network whose pooled value is the benchmark', 'benchmark');
    const pooled = pooledValue(indicator, rows.filter((row) => members.has(row.organisationCode) && !row.suppressed));
    if (pooled.value === null) throw new ApiError(400, 'invalid_parameter', `benchmark: no member of ${network!.code} has published figures of ${indicator.code} for ${period.label}`, 'benchmark');
    benchmark = pooled.value;
  }
  let peers;
  if (request.benchmark === 'peers') {
    const group = await resolvePeerGroup(db, request.peerGroup!);
    // The funnel is the peer group's (and the provider they are peers of): φ and τ² are estimated over it.
    const pooled = peerBenchmark(indicator, rows, group);
    rows = pooled.rows;
    benchmark = pooled.value;
    peers = { of: group.of, group: group.description, published: pooled.published, withheld: pooled.withheld, minimum: minimumPeers };
  }
  const funnel = indicatorFunnel(indicator, rows, { ...options, benchmark, providerLimits: request.providerLimits, shrinkage: request.shrinkage, fdrLevel: request.fdrLevel });
  return { indicator, period, network, members, target, targetLines, options, funnel, benchmarkValue: funnel.target, peers };
}
