import { requireInput } from '../errors';
import { seededNormal } from './seeded-normal';

export interface RankInterval {
  /** Mean rank over the draws; 1 is the highest value. */
  expected: number;
  lower: number;
  upper: number;
}

export interface RankIntervalOptions {
  /** Number of simulated draws; default 1000. */
  draws?: number;
  /** Default 0.95: the interval runs from the (1 − coverage)/2 to the (1 + coverage)/2 quantile of the ranks. */
  coverage?: number;
  /** Seed of the deterministic generator; default 20260101. */
  seed?: number;
}

/**
 * Rank intervals by simulation (Goldstein & Spiegelhalter 1996, JRSS A 159:385; Marshall & Spiegelhalter
 * 1998, BMJ 316:1701): draw every provider's value from its normal posterior N(meanᵢ, sdᵢ²), rank each draw
 * (1 = highest: 1 + how many drew more; equal draws, which only a zero sd gives, share the best rank), and
 * report each provider's mean rank and the lower-inverse quantiles of its ranks (R's type 1). Deterministic
 * for a seed. Cost: draws × n log n (about 5 s for 7,000 providers and 1,000 draws).
 */
export function rankIntervals(means: readonly number[], sds: readonly number[], options: RankIntervalOptions = {}): RankInterval[] {
  const n = means.length;
  const draws = options.draws ?? 1000;
  const coverage = options.coverage ?? 0.95;
  requireInput(n > 0 && sds.length === n, 'rankIntervals', 'one standard deviation for each of at least one mean');
  requireInput(sds.every((sd) => sd >= 0 && Number.isFinite(sd)) && means.every(Number.isFinite), 'rankIntervals', 'finite means and standard deviations of at least zero');
  requireInput(Number.isInteger(draws) && draws > 0, 'rankIntervals', 'a whole number of draws greater than zero');
  requireInput(coverage > 0 && coverage < 1, 'rankIntervals', 'a coverage between 0 and 1');
  const normal = seededNormal(options.seed ?? 20260101);
  // ranks[i * draws + d]: provider i's rank in draw d, so each provider's ranks are contiguous to sort.
  const ranks = new Uint32Array(n * draws);
  const values = new Float64Array(n);
  const sorted = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < n; i++) values[i] = means[i] + sds[i] * normal();
    // A typed array sorts numerically without a comparator, far faster than sorting indices by value.
    sorted.set(values);
    sorted.sort();
    for (let i = 0; i < n; i++) ranks[i * draws + d] = n - countAtMost(sorted, values[i]) + 1;
  }
  const lowerAt = Math.max(1, Math.ceil((draws * (1 - coverage)) / 2));
  const upperAt = Math.max(1, Math.ceil((draws * (1 + coverage)) / 2));
  return Array.from({ length: n }, (_, i) => {
    const own = ranks.subarray(i * draws, (i + 1) * draws).sort();
    let total = 0;
    for (const rank of own) total += rank;
    return { expected: total / draws, lower: own[lowerAt - 1], upper: own[upperAt - 1] };
  });
}

/** How many of the ascending values are ≤ x (binary search). */
function countAtMost(sorted: Float64Array, x: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}
