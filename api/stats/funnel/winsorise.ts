import { quantileSorted } from 'simple-statistics';
import { requireInput } from '../errors';
import { sortedOrder } from './sorted-order';

export interface WinsorisedZScores {
  /** z clamped to [lower, upper]. */
  values: number[];
  /** True unless z lies strictly between the two quantiles, FunnelPlotR's `winsorised` flag. */
  winsorised: boolean[];
  lower: number;
  upper: number;
}

/**
 * Winsorise z-scores at the fraction and 1 − fraction quantiles, R's default type 7 (Hyndman & Fan 1996),
 * which the installed simple-statistics (7.12) quantileSorted implements (x[⌊h⌋] + f·(x[⌊h⌋+1] − x[⌊h⌋]), h = (N − 1)p;
 * older releases did not interpolate, so winsorise.test.ts pins it): Spiegelhalter 2005,
 * QSHC 14:347, and the CQC convention, as FunnelPlotR 0.6.0 applies it. Every provider is kept; the
 * extremes are pulled in, so φ is not driven by a few outlying providers.
 */
export function winsoriseZScores(z: ArrayLike<number>, fraction = 0.1): WinsorisedZScores {
  const n = z.length;
  requireInput(n > 0, 'winsoriseZScores', 'at least one z-score');
  for (let i = 0; i < n; i++) requireInput(!Number.isNaN(z[i]), 'winsoriseZScores', 'z-scores that are numbers');
  requireInput(fraction >= 0 && fraction < 0.5, 'winsoriseZScores', 'a fraction of at least 0 and below 0.5');
  // A typed sorted copy from the linear-time order: no comparator call per comparison, no boxed copy.
  const order = sortedOrder(z);
  const sorted = new Float64Array(n);
  for (let k = 0; k < n; k++) sorted[k] = z[order[k]];
  const lower = quantileSorted(sorted as unknown as number[], fraction);
  const upper = quantileSorted(sorted as unknown as number[], 1 - fraction);
  const values = new Array<number>(n);
  const winsorised = new Array<boolean>(n);
  for (let i = 0; i < n; i++) {
    const value = z[i];
    values[i] = Math.min(Math.max(value, lower), upper);
    winsorised[i] = !(value > lower && value < upper);
  }
  return { values, winsorised, lower, upper };
}
