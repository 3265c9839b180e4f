import { regularizedBeta, regularizedBetaComplement, regularizedGammaP, regularizedGammaQ } from '../distributions';
import { bandLabel, type FunnelBand } from './funnel-band';
import type { FunnelLimitModel } from './funnel-limits';

/** Which side of the target a value lies and how deep in that tail: a band beyond coverage c when probability < (1 − c)/2. */
export interface ExactTail {
  side: 'above' | 'below' | null;
  probability: number;
}

/**
 * Where a value stands against the exact unadjusted limits at a precision, without inverting them:
 * each exact limit is the value at which a tail probability equals α/2, so the value lies beyond it
 * exactly when its own tail probability is below α/2. One incomplete beta or gamma evaluation decides
 * every coverage, where the limits need a quantile search per side and coverage.
 * - proportion 'exact' (m = nθ): below when I_p(m, n − m + 1) < α/2, above when 1 − I_p(m + 1, n − m) < α/2;
 * - Poisson 'chi-squared' (expected μ, observed c on the count scale): P(μ, c) below, Q(μ + 1, c) above;
 * - Poisson 'exact-test': Q(c + 1, μ) below, P(c, μ) above.
 * The limits lie on either side of the target, so only the value's own side is tested.
 * `ratio` is the value without the multiplier. Null where the unadjusted limits are closed forms, or must be computed.
 */
export function exactTail(model: FunnelLimitModel, precision: number, ratio: number): ExactTail | null {
  const { measure, target } = model;
  // Near 0, and near 1 for proportions, a computed limit can round onto the value though the true one is
  // not there (limits below ~1e-300 underflow; 1 − x resolves only to ~1e-16): band those against the limits.
  if (ratio < 1e-280 || (measure === 'proportion' && ratio > 1 - 1e-6)) return null;
  const within = { side: null, probability: 1 };
  if (measure === 'proportion') {
    if (model.proportionLimits !== 'exact') return null;
    if (ratio === target) return within;
    const expected = precision * target;
    const rest = precision - expected;
    if (ratio > target) return { side: 'above', probability: rest > 0 ? regularizedBetaComplement(ratio, expected + 1, rest) : 1 };
    return { side: 'below', probability: expected > 0 ? regularizedBeta(ratio, expected, rest + 1) : 1 };
  }
  if (measure !== 'ratio' && measure !== 'rate') return null;
  // On the count scale: a ratio's limits are θ × the limits about E, a rate's are those about θn over n.
  const mu = measure === 'ratio' ? precision : target * precision;
  const count = measure === 'ratio' ? (ratio * precision) / target : ratio * precision;
  if (count === mu) return within;
  const above = count > mu;
  if (model.poissonLimits === 'chi-squared') {
    return above ? { side: 'above', probability: regularizedGammaQ(mu + 1, count) } : { side: 'below', probability: regularizedGammaP(mu, count) };
  }
  return above ? { side: 'above', probability: regularizedGammaP(count, mu) } : { side: 'below', probability: regularizedGammaQ(count + 1, mu) };
}

/** Relative closeness to α/2 within which the tail cannot be trusted to order a value and a limit as the limit itself would. */
const TIE = 1e-7;

/**
 * The band from a tail, as {@link funnelBand} gives it from the limits (inclusive: a value on a limit
 * is within), and whether the value is beyond the judgement coverage. Null when the probability is
 * within 1e-7 (relative) of some α/2: there the limit must be computed, so that a value on or next to a
 * limit is banded exactly as against the limit.
 */
export function bandFromTail(tail: ExactTail, coverages: readonly number[], judgementCoverage: number): { band: FunnelBand; beyondJudgement: boolean } | null {
  if (tail.side === null) return { band: 'within', beyondJudgement: false };
  if (!(tail.probability >= 0)) return null;
  let widest = -Infinity;
  for (const coverage of coverages) {
    const half = (1 - coverage) / 2;
    if (Math.abs(tail.probability - half) <= TIE * half) return null;
    if (tail.probability < half) widest = Math.max(widest, coverage);
  }
  const band: FunnelBand = widest === -Infinity ? 'within' : bandLabel(tail.side, widest);
  return { band, beyondJudgement: tail.probability < (1 - judgementCoverage) / 2 };
}
