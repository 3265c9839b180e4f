import { regularizedGammaQ } from '../distributions';
import { requireInput } from '../errors';

export interface MultiplicativeOverdispersion {
  method: 'multiplicative';
  /** φ = (1/n)Σz² over the providers given. */
  phi: number;
  /** P(χ²ₙ₋₁ ≥ nφ): small values say the providers vary more than chance allows. */
  pValue: number;
  /** How many z-scores the estimate used. */
  n: number;
}

export interface AdditiveOverdispersion extends Omit<MultiplicativeOverdispersion, 'method'> {
  method: 'additive';
  /** Between-provider variance on the z-score scale, DerSimonian–Laird. */
  tau2: number;
}

/**
 * Multiplicative overdispersion φ = (1/n)Σzᵢ² (Spiegelhalter 2005, Stat Med 24:1185 §3; QSHC 14:347),
 * with the p-value of nφ against χ² on n − 1 degrees of freedom. Pass the z-scores kept after
 * truncation, or all z-scores after winsorisation. Limits are widened by √φ only when φ > 1.
 * One provider has no degrees of freedom: its p-value is 1.
 */
export function multiplicativeOverdispersion(z: ArrayLike<number>): MultiplicativeOverdispersion {
  requireInput(z.length > 0, 'multiplicativeOverdispersion', 'at least one z-score');
  const n = z.length;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    requireInput(Number.isFinite(z[i]), 'multiplicativeOverdispersion', 'finite z-scores');
    squares += z[i] * z[i];
  }
  const phi = squares / n;
  return { method: 'multiplicative', phi, pValue: chiSquaredUpperTail(n * phi, n - 1), n };
}

/**
 * Additive random-effects overdispersion by DerSimonian & Laird (1986, Control Clin Trials 7:177),
 * as Spiegelhalter 2005 (QSHC 14:347) and NHS Digital's SHMI use it: with wᵢ = 1/sᵢ²,
 * τ² = max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw)). z and s are the kept providers' z-scores and standard
 * errors, pairwise. One provider gives τ² = 0 (the denominator vanishes) and p-value 1.
 */
export function additiveOverdispersion(z: ArrayLike<number>, s: ArrayLike<number>): AdditiveOverdispersion {
  requireInput(s.length === z.length, 'additiveOverdispersion', 'one standard error for each z-score');
  let sumW = 0;
  let sumW2 = 0;
  for (let i = 0; i < s.length; i++) {
    requireInput(s[i] > 0 && Number.isFinite(s[i]), 'additiveOverdispersion', 'finite standard errors greater than zero');
    const w = 1 / (s[i] * s[i]);
    sumW += w;
    sumW2 += w * w;
  }
  const { phi, pValue, n } = multiplicativeOverdispersion(z);
  const excess = n * phi - (n - 1);
  const tau2 = n > 1 && excess > 0 ? excess / (sumW - sumW2 / sumW) : 0;
  return { method: 'additive', phi, tau2, pValue, n };
}

function chiSquaredUpperTail(statistic: number, df: number): number {
  if (df === 0) return 1;
  return regularizedGammaQ(df / 2, statistic / 2);
}
