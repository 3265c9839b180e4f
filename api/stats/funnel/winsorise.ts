import { quantileSorted } from 'simple-statistics';
import { requireInput } from '../errors';

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
export function winsoriseZScores(z: readonly number[], fraction = 0.1): WinsorisedZScores {
  requireInput(z.length > 0, 'winsoriseZScores', 'at least one z-score');
  requireInput(z.every((value) => !Number.isNaN(value)), 'winsoriseZScores', 'z-scores that are numbers');
  requireInput(fraction >= 0 && fraction < 0.5, 'winsoriseZScores', 'a fraction of at least 0 and below 0.5');
  const sorted = [...z].sort((a, b) => a - b);
  const lower = quantileSorted(sorted, fraction);
  const upper = quantileSorted(sorted, 1 - fraction);
  return {
    values: z.map((value) => Math.min(Math.max(value, lower), upper)),
    winsorised: z.map((value) => !(value > lower && value < upper)),
    lower,
    upper,
  };
}
