import { requireInput } from '../errors';
import { additiveOverdispersion } from '../funnel/overdispersion';

export interface PosteriorEstimate {
  /** Posterior mean θ̂ + (1 − Bᵢ)(yᵢ − θ̂). */
  mean: number;
  /** Posterior standard deviation √((1 − Bᵢ)sᵢ² + Bᵢ²·Var θ̂). */
  sd: number;
  /** Shrinkage factor Bᵢ = sᵢ²/(sᵢ² + τ²): 1 pulls the estimate all the way to θ̂. */
  shrinkage: number;
}

export interface EmpiricalBayesEstimates {
  /** Random-effects mean Σwᵢ*yᵢ/Σwᵢ*, wᵢ* = 1/(sᵢ² + τ²). */
  theta: number;
  thetaVariance: number;
  /** DerSimonian–Laird between-provider variance around the fixed-effect mean, untrimmed. */
  tau2: number;
  estimates: PosteriorEstimate[];
}

/**
 * Empirical-Bayes shrunken estimates under the normal random-effects model yᵢ ~ N(μᵢ, sᵢ²), μᵢ ~ N(θ, τ²)
 * with τ² by DerSimonian & Laird (1986, Control Clin Trials 7:177) and θ its inverse-variance weighted mean
 * (Spiegelhalter, Abrams & Myles 2004, Bayesian approaches to clinical trials and health-care evaluation,
 * §3.17; Marshall & Spiegelhalter 1998, BMJ 316:1701). The posterior variance adds Bᵢ²·Var θ̂ for the
 * estimated mean, as metafor's blup() does (Raudenbush & Bryk 1985), so intervals do not pretend θ is known.
 * τ² = 0 pulls every estimate to θ̂.
 */
export function empiricalBayesEstimates(y: readonly number[], s: readonly number[]): EmpiricalBayesEstimates {
  requireInput(y.length > 0 && y.length === s.length, 'empiricalBayesEstimates', 'one standard error for each of at least one estimate');
  requireInput(y.every(Number.isFinite), 'empiricalBayesEstimates', 'finite estimates');
  const weights = s.map((value) => 1 / (value * value));
  const fixedMean = weightedMean(y, weights);
  const { tau2 } = additiveOverdispersion(y.map((value, i) => (value - fixedMean) / s[i]), s);
  const randomWeights = s.map((value) => 1 / (value * value + tau2));
  const theta = weightedMean(y, randomWeights);
  const thetaVariance = 1 / randomWeights.reduce((sum, w) => sum + w, 0);
  const estimates = y.map((value, i) => {
    const variance = s[i] * s[i];
    const shrinkage = variance / (variance + tau2);
    return { mean: theta + (1 - shrinkage) * (value - theta), sd: Math.sqrt((1 - shrinkage) * variance + shrinkage * shrinkage * thetaVariance), shrinkage };
  });
  return { theta, thetaVariance, tau2, estimates };
}

function weightedMean(values: readonly number[], weights: readonly number[]): number {
  let total = 0;
  let weight = 0;
  values.forEach((value, i) => {
    total += weights[i] * value;
    weight += weights[i];
  });
  return total / weight;
}
