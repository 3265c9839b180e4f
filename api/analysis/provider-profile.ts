import { quantileSorted } from 'simple-statistics';
import { measureValue } from './measure-value';
import type { PeerFunnel } from './peer-funnel';
import { percentileRank } from './percentile-rank';
import { pooledValue } from './pooled-value';
import { providerSpc, SpcNotAvailableError, type SeriesObservation } from './provider-spc';
import type { PeriodTarget } from './target-in-force';
import type { IndicatorDefinition, ProviderObservation } from './types';

export interface ProfileInput {
  indicator: IndicatorDefinition;
  organisationCode: string;
  /** Every provider's figures in the period: the peer group. */
  rows: readonly ProviderObservation[];
  peer: PeerFunnel;
  /** The organisation's series up to and including the period. */
  series: readonly SeriesObservation[];
  /** The indicator's dated standards, so the SPC assurance is judged against the one in force, as the trends route does. */
  targets: readonly PeriodTarget[];
}

/**
 * One indicator of a provider profile: the provider's value and 95 % interval (`measureValue`), the benchmark
 * pooled over all providers (`pooledValue`), its judgement in the funnel of all providers, its percentile rank
 * among the other providers (`percentileRank`: share with a lower value, ties half, 0–100) and the SPC status of
 * its series. A suppressed value has no figures, interval or rank, which would reveal it.
 */
export function profileEntry({ indicator, organisationCode, rows, peer, series, targets }: ProfileInput) {
  const own = rows.find((row) => row.organisationCode === organisationCode);
  const suppressed = own?.suppressed ?? false;
  const value = own === undefined || suppressed ? null : measureValue(indicator, own);
  const peerValues = rows
    .filter((row) => row !== own)
    .map((row) => measureValue(indicator, row).value)
    .filter((peerValue): peerValue is number => peerValue !== null);
  const provider = peer.available ? peer.providers.get(organisationCode) : undefined;
  return {
    reported: own !== undefined,
    suppressed,
    value: value?.value ?? null,
    lower: value?.lower ?? null,
    upper: value?.upper ?? null,
    intervalMethod: value?.method ?? null,
    confidence: 0.95,
    benchmark: pooledValue(indicator, rows),
    funnel: peer.available ? { available: true as const, target: peer.funnel.target, z: provider?.z ?? null, band: provider?.band ?? null, judgement: provider?.judgement ?? null } : { available: false as const, reason: peer.reason },
    percentileRank: { value: value?.value == null ? null : percentileRank(value.value, peerValues), peers: peerValues.length },
    peerRange: peerRange(indicator, rows),
    spc: spcStatus(indicator, series, targets),
  };
}

/**
 * The spread of all providers' values (minimum, quartiles by R's type-7 rule, maximum) for a spine chart.
 * Suppressed rows come without figures, so they take no part (an extreme of the range would reveal one).
 */
function peerRange(indicator: IndicatorDefinition, rows: readonly ProviderObservation[]) {
  const values = rows
    .map((row) => measureValue(indicator, row).value)
    .filter((peerValue): peerValue is number => peerValue !== null)
    .sort((a, b) => a - b);
  if (values.length === 0) return null;
  return { minimum: values[0], lowerQuartile: quantileSorted(values, 0.25), upperQuartile: quantileSorted(values, 0.75), maximum: values.at(-1)!, providers: values.length };
}

function spcStatus(indicator: IndicatorDefinition, series: readonly SeriesObservation[], targets: readonly PeriodTarget[]) {
  try {
    const chart = providerSpc(indicator, series, { targets });
    return { available: true as const, kind: chart.kind, variation: chart.variation, assurance: chart.assurance, points: chart.points.length, lastPeriod: chart.points.at(-1)!.period };
  } catch (error) {
    if (error instanceof SpcNotAvailableError) return { available: false as const, reason: error.message };
    throw error;
  }
}
