import { standardErrorAtPrecision, transformedLimits } from './transformed-limits';

/**
 * NHS Digital's SHMI banding (SHMI methodology; methods.md "SHMI banding"): 1 "higher than expected"
 * when O/E is above the 95 % limit exp(1.959964·√(1/E + τ²)) about 1 on the log scale, 3 "lower than
 * expected" when below exp(−1.959964·√(1/E + τ²)), otherwise 2. τ² is the DerSimonian–Laird estimate from
 * truncated z-scores, 0 when there is no overdispersion.
 */
export function shmiBand(ratio: number, expected: number, tau2: number): 1 | 2 | 3 {
  const limit = transformedLimits({ scale: 'log', target: 1, s: standardErrorAtPrecision('log', expected, 1), coverage: 0.95, tau2 });
  return ratio > limit.upper ? 1 : ratio < limit.lower ? 3 : 2;
}
