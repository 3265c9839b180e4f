import { chiSquaredQuantile } from '../distributions';
import { requireInput } from '../errors';

export interface Tau2ConfidenceInterval {
  coverage: number;
  lower: number;
  upper: number;
  /** Generalised Q at τ² = 0: Cochran's Q, Σwᵢ(yᵢ − ȳ_w)² with wᵢ = 1/sᵢ². */
  q: number;
  /** Degrees of freedom of Q: providers − 1. */
  df: number;
}

/**
 * Q-profile confidence interval for the between-provider variance τ² of the additive random-effects model
 * (Viechtbauer 2007, Stat Med 26:37; metafor's confint() for rma(method = "DL")). The generalised
 * Q(τ²) = Σwᵢ(yᵢ − μ̂)², wᵢ = 1/(sᵢ² + τ²), μ̂ = Σwᵢyᵢ/Σwᵢ, falls as τ² grows; the limits are the τ² at which
 * it equals the χ² quantiles on k − 1 degrees of freedom (upper quantile for the lower limit), each 0 when
 * Q(0) is already below its quantile. y and s are the kept providers' values and standard errors on the
 * funnel's transformed scale, the same the DerSimonian–Laird estimate uses (for winsorised providers, their
 * clamped z times s); the interval may exclude that moment estimate, which is what it shows.
 */
export function tau2ConfidenceInterval(y: readonly number[], s: readonly number[], coverage = 0.95): Tau2ConfidenceInterval {
  const name = 'tau2ConfidenceInterval';
  requireInput(y.length >= 2, name, 'at least two providers');
  requireInput(s.length === y.length, name, 'one standard error for each value');
  requireInput(y.every(Number.isFinite), name, 'finite values');
  requireInput(s.every((value) => value > 0 && Number.isFinite(value)), name, 'finite standard errors greater than zero');
  requireInput(coverage > 0 && coverage < 1, name, 'a coverage between 0 and 1');
  const variances = s.map((value) => value * value);
  const generalisedQ = (tau2: number) => {
    let sumW = 0;
    let sumWY = 0;
    for (let i = 0; i < y.length; i++) {
      const w = 1 / (variances[i] + tau2);
      sumW += w;
      sumWY += w * y[i];
    }
    const mean = sumWY / sumW;
    let q = 0;
    for (let i = 0; i < y.length; i++) q += (y[i] - mean) ** 2 / (variances[i] + tau2);
    return q;
  };
  const df = y.length - 1;
  const alpha = 1 - coverage;
  const q = generalisedQ(0);
  return {
    coverage,
    lower: tau2Where(generalisedQ, q, chiSquaredQuantile(1 - alpha / 2, df)),
    upper: tau2Where(generalisedQ, q, chiSquaredQuantile(alpha / 2, df)),
    q,
    df,
  };
}

/** The τ² ≥ 0 at which the decreasing Q(τ²) equals `target`, by bisection to the last bit; 0 when Q(0) ≤ target. */
function tau2Where(generalisedQ: (tau2: number) => number, qAtZero: number, target: number): number {
  if (qAtZero <= target) return 0;
  let low = 0;
  let high = 1;
  while (generalisedQ(high) > target) {
    low = high;
    high *= 2;
  }
  for (let step = 0; step < 200; step++) {
    const middle = (low + high) / 2;
    if (middle === low || middle === high) break;
    if (generalisedQ(middle) > target) low = middle;
    else high = middle;
  }
  return (low + high) / 2;
}
