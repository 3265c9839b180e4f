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
export function multiplicativeOverdispersion(z: readonly number[]): MultiplicativeOverdispersion {
  requireInput(z.length > 0, 'multiplicativeOverdispersion', 'at least one z-score');
  requireInput(z.every(Number.isFinite), 'multiplicativeOverdispersion', 'finite z-scores');
  const n = z.length;
  const phi = z.reduce((sum, value) => sum + value * value, 0) / n;
  return { method: 'multiplicative', phi, pValue: chiSquaredUpperTail(n * phi, n - 1), n };
}

/**
 * Additive random-effects overdispersion by DerSimonian & Laird (1986, Control Clin Trials 7:177),
 * as Spiegelhalter 2005 (QSHC 14:347) and NHS Digital's SHMI use it: with wᵢ = 1/sᵢ²,
 * τ² = max(0, (nφ − (n − 1)) / (Σw − Σw²/Σw)). z and s are the kept providers' z-scores and standard
 * errors, pairwise. One provider gives τ² = 0 (the denominator vanishes) and p-value 1.
 */
export function additiveOverdispersion(z: readonly number[], s: readonly number[]): AdditiveOverdispersion {
  requireInput(s.length === z.length, 'additiveOverdispersion', 'one standard error for each z-score');
  requireInput(s.every((value) => value > 0 && Number.isFinite(value)), 'additiveOverdispersion', 'finite standard errors greater than zero');
  const { phi, pValue, n } = multiplicativeOverdispersion(z);
  const weights = s.map((value) => 1 / (value * value));
  const sumW = weights.reduce((sum, w) => sum + w, 0);
  const sumW2 = weights.reduce((sum, w) => sum + w * w, 0);
  const excess = n * phi - (n - 1);
  const tau2 = n > 1 && excess > 0 ? excess / (sumW - sumW2 / sumW) : 0;
  return { method: 'additive', phi, tau2, pValue, n };
}

function chiSquaredUpperTail(statistic: number, df: number): number {
  if (df === 0) return 1;
  return regularizedGammaQ(df / 2, statistic / 2);
}
