import { StatsInputError } from '../stats';
import { FunnelNotAvailableError, indicatorFunnel, type FunnelProvider, type IndicatorFunnel, type IndicatorFunnelOptions } from './indicator-funnel';
import { periodPeerBenchmark } from './peer-benchmark';
import type { IndicatorDefinition, ProviderObservation } from './types';

export type PeerFunnel =
  | { available: true; funnel: IndicatorFunnel; providers: ReadonlyMap<string, FunnelProvider> }
  | { available: false; reason: string };

/**
 * `indicatorFunnel` for views that span many indicators or periods: one funnel that cannot be drawn (a measure
 * kind without a funnel, counts the chosen method cannot use such as the SHMI convention on a proportion, or a
 * pooled rate of 0) is reported with its reason rather than failing the whole view. Any other error is a bug
 * and is rethrown. Such views judge providers and draw no funnel, so no limit curves are computed unless
 * `curves: true` is asked for.
 */
export function peerFunnel(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], options: IndicatorFunnelOptions): PeerFunnel {
  try {
    const funnel = indicatorFunnel(indicator, rows, { curves: false, ...options });
    return { available: true, funnel, providers: new Map(funnel.providers.map((provider) => [provider.code, provider])) };
  } catch (error) {
    if (error instanceof FunnelNotAvailableError || error instanceof StatsInputError) return { available: false, reason: error.message };
    throw error;
  }
}

/** Beyond the judgement limit (99.8 %): judged better, worse, higher or lower. Suppressed providers have no judgement. */
export function isOutlier(provider: Pick<FunnelProvider, 'judgement'> | undefined): boolean {
  return provider?.judgement != null && provider.judgement !== 'as-expected';
}

/** Outside the 95 % limits, which includes beyond 99.8 %. */
export function isOutside95(provider: Pick<FunnelProvider, 'band'> | undefined): boolean {
  return provider?.band != null && provider.band !== 'within';
}

/** What a response says about one funnel: its benchmark and overdispersion, or why there is none. */
export function funnelSummary(peer: PeerFunnel) {
  if (!peer.available) return { available: false as const, reason: peer.reason };
  const { measure, convention, scale, target, overdispersion } = peer.funnel;
  return { available: true as const, measure, convention, scale, target, overdispersion };
}

/**
 * The funnel that judges one provider against its own peer group (a saved set, or its nearest neighbours): the
 * funnel of the group and the provider, its overdispersion estimated over them, its centre line the pooled value
 * of the published peers, never the provider's own (`periodPeerBenchmark`, as `GET /api/funnel?benchmark=peers`
 * draws it). Fewer than the minimum published peers give no funnel, with the reason.
 */
export function providerPeerFunnel(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], group: { codes: ReadonlySet<string>; of: string }, options: IndicatorFunnelOptions): PeerFunnel {
  const benchmark = periodPeerBenchmark(indicator, rows, group);
  if (!benchmark.available) return { available: false, reason: benchmark.reason };
  const groupRows = rows.filter((row) => group.codes.has(row.organisationCode) || row.organisationCode === group.of);
  return peerFunnel(indicator, groupRows, { ...options, benchmark: benchmark.value });
}
