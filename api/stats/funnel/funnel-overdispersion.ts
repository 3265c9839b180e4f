import type { OverdispersionAdjustment, TrimMethod } from './funnel-analysis-options';
import { additiveOverdispersion } from './overdispersion';
import { truncateZScores } from './truncate';
import { winsoriseZScores } from './winsorise';

/** The overdispersion a funnel reports, whichever the measure. */
export interface FunnelOverdispersion {
  method: OverdispersionAdjustment;
  phi: number;
  tau2: number;
  pValue: number;
  /** Providers the estimate used. */
  n: number;
  trimFraction: number;
  trimMethod: TrimMethod;
  /** Whether the adjusted limits are the ones that band: φ > 1 (and τ² > 0 for additive) with two or more providers. */
  applied: boolean;
}

export interface TrimmedOverdispersion {
  overdispersion: FunnelOverdispersion;
  /** Per provider: the z used for φ (winsorised), or null when truncation dropped it. */
  trimmedZ: (number | null)[];
  /** Winsorised (not strictly inside the quantiles) or truncated. */
  trimmed: boolean[];
}

/**
 * Steps 2–5 of methods.md "Overdispersion", shared by every funnel measure: trim the z-scores
 * (winsorise or truncate), estimate φ and the DerSimonian–Laird τ² from the kept providers' z and s,
 * and apply the adjustment only when φ > 1 (and τ² > 0 for additive) with two or more providers.
 */
export function trimmedOverdispersion(
  z: number[], s: readonly number[], adjustment: OverdispersionAdjustment, trimFraction: number, trimMethod: TrimMethod,
): TrimmedOverdispersion {
  const { trimmedZ, trimmed } = trimZScores(z, trimFraction, trimMethod);
  const keptZ = trimmedZ.filter((value): value is number => value !== null);
  const keptS = s.filter((_, i) => trimmedZ[i] !== null);
  const estimate = additiveOverdispersion(keptZ, keptS);
  const applied = adjustment !== 'none' && estimate.n > 1 && estimate.phi > 1 && (adjustment === 'multiplicative' || estimate.tau2 > 0);
  const { phi, tau2, pValue, n } = estimate;
  return { overdispersion: { method: adjustment, phi, tau2, pValue, n, trimFraction, trimMethod, applied }, trimmedZ, trimmed };
}

function trimZScores(z: number[], fraction: number, method: TrimMethod): { trimmedZ: (number | null)[]; trimmed: boolean[] } {
  if (fraction === 0) return { trimmedZ: z, trimmed: z.map(() => false) };
  if (method === 'winsorise') {
    const { values, winsorised } = winsoriseZScores(z, fraction);
    return { trimmedZ: values, trimmed: winsorised };
  }
  const { kept } = truncateZScores(z, fraction);
  return { trimmedZ: z.map((value, i) => (kept[i] ? value : null)), trimmed: kept.map((k) => !k) };
}
