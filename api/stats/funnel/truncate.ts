import { requireInput } from '../errors';

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
export function truncateZScores(z: readonly number[], fraction = 0.1): TruncatedZScores {
  requireInput(z.length > 0, 'truncateZScores', 'at least one z-score');
  requireInput(z.every((value) => !Number.isNaN(value)), 'truncateZScores', 'z-scores that are numbers');
  requireInput(fraction > 0 && fraction < 0.5, 'truncateZScores', 'a fraction above 0 and below 0.5');
  const k = 1 / fraction;
  const rank = averageRanks(z);
  const group = rank.map((r) => Math.floor((r * k) / (z.length + 1)));
  return { kept: group.map((g) => g > 0 && g < k - 1), rank, group };
}

function averageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => a.value - b.value);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    const shared = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i].index] = shared;
    start = end + 1;
  }
  return ranks;
}
