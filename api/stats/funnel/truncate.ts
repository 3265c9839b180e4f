import { requireInput } from '../errors';
import { sortedOrder } from './sorted-order';

export interface TruncatedZScores {
  /** False for the providers dropped from the overdispersion estimate. */
  kept: boolean[];
  /** Rank of z, ties sharing their average rank (R's rank(ties.method = "average")). */
  rank: number[];
  /** ⌊rank·k/(N + 1)⌋ with k = 1/fraction: the quantile group (decile for 0.1) of the provider. */
  group: number[];
}

/**
 * Truncate z-scores for the overdispersion estimate, NHS Digital's SHMI convention as FunnelPlotR
 * 0.6.0 implements it: with k = 1/fraction, a provider of rank r among N is in group ⌊r·k/(N + 1)⌋
 * and is kept only if 0 < group < k − 1, i.e. the bottom and top groups are dropped. For N = 54 and
 * 0.1 that drops 5 from each tail (⌊0.1·N⌋); for N ≤ 8 it drops none.
 */
export function truncateZScores(z: ArrayLike<number>, fraction = 0.1): TruncatedZScores {
  const n = z.length;
  requireInput(n > 0, 'truncateZScores', 'at least one z-score');
  for (let i = 0; i < n; i++) requireInput(!Number.isNaN(z[i]), 'truncateZScores', 'z-scores that are numbers');
  requireInput(fraction > 0 && fraction < 0.5, 'truncateZScores', 'a fraction above 0 and below 0.5');
  const k = 1 / fraction;
  const rank = averageRanks(z);
  const group = new Array<number>(n);
  const kept = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    group[i] = Math.floor((rank[i] * k) / (n + 1));
    kept[i] = group[i] > 0 && group[i] < k - 1;
  }
  return { kept, rank, group };
}

/** R's rank(ties.method = "average"), from the values' sorted order (linear time, no object per value). */
function averageRanks(values: ArrayLike<number>): number[] {
  const order = sortedOrder(values);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    const value = values[order[start]];
    let end = start;
    while (end + 1 < order.length && values[order[end + 1]] === value) end++;
    const shared = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]] = shared;
    start = end + 1;
  }
  return ranks;
}
