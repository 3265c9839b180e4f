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
  z: ArrayLike<number>, s: ArrayLike<number>, adjustment: OverdispersionAdjustment, trimFraction: number, trimMethod: TrimMethod,
): TrimmedOverdispersion {
  const { trimmedZ, trimmed } = trimZScores(z, trimFraction, trimMethod);
  let keptCount = 0;
  for (let i = 0; i < trimmedZ.length; i++) if (trimmedZ[i] !== null) keptCount++;
  const keptZ = new Float64Array(keptCount);
  const keptS = new Float64Array(keptCount);
  for (let i = 0, k = 0; i < trimmedZ.length; i++) {
    const value = trimmedZ[i];
    if (value === null) continue;
    keptZ[k] = value;
    keptS[k++] = s[i];
  }
  const estimate = additiveOverdispersion(keptZ, keptS);
  const applied = adjustment !== 'none' && estimate.n > 1 && estimate.phi > 1 && (adjustment === 'multiplicative' || estimate.tau2 > 0);
  const { phi, tau2, pValue, n } = estimate;
  return { overdispersion: { method: adjustment, phi, tau2, pValue, n, trimFraction, trimMethod, applied }, trimmedZ, trimmed };
}

function trimZScores(z: ArrayLike<number>, fraction: number, method: TrimMethod): { trimmedZ: (number | null)[]; trimmed: boolean[] } {
  if (fraction === 0) return { trimmedZ: Array.from(z), trimmed: new Array<boolean>(z.length).fill(false) };
  if (method === 'winsorise') {
    const { values, winsorised } = winsoriseZScores(z, fraction);
    return { trimmedZ: values, trimmed: winsorised };
  }
  const { kept } = truncateZScores(z, fraction);
  const trimmedZ = new Array<number | null>(z.length);
  const trimmed = new Array<boolean>(z.length);
  for (let i = 0; i < z.length; i++) {
    trimmedZ[i] = kept[i] ? z[i] : null;
    trimmed[i] = !kept[i];
  }
  return { trimmedZ, trimmed };
}
