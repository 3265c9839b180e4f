import { pooledValue } from './pooled-value';
import type { IndicatorDefinition, ProviderObservation } from './types';

/**
 * The fewest peers with published figures a peer benchmark is pooled over. A pooled value of one or two
 * providers is as good as their own figures, and a peer set small enough to be chosen around one provider
 * invites differencing against other pooled figures; three is the smallest group NHS publications pool.
 */
export const minimumPeers = 3;

export class PeerBenchmarkNotAvailableError extends Error {
  override name = 'PeerBenchmarkNotAvailableError';
}

export interface PeerBenchmark<Row extends ProviderObservation = ProviderObservation> {
  /** The peer group's pooled value on the display scale. */
  value: number;
  /** The funnel's rows: the peers and the organisation they are peers of, if any. */
  rows: Row[];
  /** Peers whose figures were pooled, and peers reporting whose figures are withheld (in no total). */
  published: number;
  withheld: number;
}

/**
 * A peer group as a benchmark: the pooled value (Σx/Σn, ΣO/ΣE, inverse-variance) of the peers whose figures
 * are published, never of the organisation they are peers of. The rows have come through disclosure control,
 * so a withheld peer is in no total; fewer than `minimumPeers` published peers give no benchmark at all.
 */
export function peerBenchmark<Row extends ProviderObservation>(indicator: IndicatorDefinition, rows: readonly Row[], group: { codes: ReadonlySet<string>; of: string | null }): PeerBenchmark<Row> {
  const peers = rows.filter((row) => group.codes.has(row.organisationCode) && row.organisationCode !== group.of);
  const published = peers.filter((row) => !row.suppressed);
  const pooled = pooledValue(indicator, published);
  if (pooled.value === null || pooled.providers < minimumPeers) {
    throw new PeerBenchmarkNotAvailableError(
      `${pooled.providers} of the ${group.codes.size} peers have published figures of ${indicator.code} in this period; a peer benchmark needs at least ${minimumPeers}`,
    );
  }
  return {
    value: pooled.value,
    rows: rows.filter((row) => group.codes.has(row.organisationCode) || row.organisationCode === group.of),
    published: pooled.providers,
    withheld: peers.length - published.length,
  };
}

/** One period's peer benchmark, or why it cannot be drawn (too few published peers), with the peers counted either way. */
export type PeriodPeerBenchmark =
  | { available: true; value: number; published: number; withheld: number }
  | { available: false; reason: string; published: number; withheld: number };

/**
 * `peerBenchmark` for a view that spans periods: a period whose peers cannot make a benchmark (fewer than
 * `minimumPeers` published) is reported with its reason rather than failing the view. `of` is the organisation
 * judged against the group, never pooled into it.
 */
export function periodPeerBenchmark(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], group: { codes: ReadonlySet<string>; of: string | null }): PeriodPeerBenchmark {
  try {
    const pooled = peerBenchmark(indicator, rows, group);
    return { available: true, value: pooled.value, published: pooled.published, withheld: pooled.withheld };
  } catch (error) {
    if (!(error instanceof PeerBenchmarkNotAvailableError)) throw error;
    const peers = rows.filter((row) => group.codes.has(row.organisationCode) && row.organisationCode !== group.of);
    const published = peers.filter((row) => !row.suppressed).length;
    return { available: false, reason: error.message, published, withheld: peers.length - published };
  }
}
