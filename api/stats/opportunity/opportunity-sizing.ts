import { requireInput } from '../errors';
import { seededNormal } from '../shrinkage/seeded-normal';

export interface OpportunityProvider {
  id: string;
  /** What the rate is per: patients for a proportion, person-time for a rate, expected events for a ratio. */
  size: number;
  /** The provider's estimate on the funnel's scale, with its sd: the empirical-Bayes posterior, or sd 0 for the observed value. */
  mean: number;
  sd: number;
}

export interface OpportunityInput {
  providers: readonly OpportunityProvider[];
  /** From the funnel's scale to the natural scale (a proportion, events per unit of person-time, O/E). */
  toNatural: (y: number) => number;
  /** The benchmark on the natural scale. */
  benchmark: number;
  /** Which way is better: the gap counts the events or patients that would differ in that direction. */
  polarity: 'higher-is-better' | 'lower-is-better';
  /** Simulated draws for the intervals (default 2000) from a fixed seed (default 20261207). */
  draws?: number;
  seed?: number;
  /** Default 0.95. */
  coverage?: number;
}

export interface ProviderOpportunity {
  id: string;
  /** The estimate on the natural scale. */
  estimate: number;
  /**
   * size × (benchmark − estimate) where higher is better, size × (estimate − benchmark) where lower is better:
   * the patients who would additionally have the better outcome, or the excess events, at the benchmark. Negative
   * when the provider does better than the benchmark.
   */
  gap: number;
  /** max(0, gap): only a provider doing worse than the benchmark has an opportunity. */
  opportunity: number;
  lower: number;
  upper: number;
}

export interface Opportunity {
  providers: ProviderOpportunity[];
  /** Σ opportunity with its interval (the quantiles of the simulated sums, not a sum of intervals). */
  total: { opportunity: number; lower: number; upper: number };
}

/**
 * Opportunity sizing: the events or patients that would differ if each provider performed at a benchmark,
 * as RightCare's "opportunity" and the Model Health System's "if at the benchmark" figures count them, here
 * from each provider's shrunken estimate (Marshall & Spiegelhalter 1998, BMJ 316:1701; Spiegelhalter 2005,
 * QSHC 14:347), so a provider worse than the benchmark by chance alone is pulled towards the centre and does
 * not inflate the total. Point values use the posterior mean taken back to the natural scale; intervals are
 * the (1 ± coverage)/2 quantiles of draws from each provider's normal posterior on the funnel's scale
 * (independent providers; the benchmark taken as fixed), truncated at zero draw by draw, and the total's the
 * quantiles of the drawn sums.
 */
export function opportunity(input: OpportunityInput): Opportunity {
  const { providers, toNatural, benchmark, polarity } = input;
  const draws = input.draws ?? 2000;
  const coverage = input.coverage ?? 0.95;
  requireInput(Number.isFinite(benchmark), 'opportunity', 'a finite benchmark');
  requireInput(Number.isInteger(draws) && draws > 0, 'opportunity', 'a whole number of draws greater than zero');
  requireInput(coverage > 0 && coverage < 1, 'opportunity', 'a coverage between 0 and 1');
  requireInput(
    providers.every((p) => Number.isFinite(p.mean) && Number.isFinite(p.sd) && p.sd >= 0 && Number.isFinite(p.size) && p.size >= 0),
    'opportunity',
    'finite means, sds of at least zero and sizes of at least zero',
  );
  const sign = polarity === 'higher-is-better' ? -1 : 1;
  const gapAt = (p: OpportunityProvider, y: number) => sign * p.size * (toNatural(y) - benchmark);
  const normal = seededNormal(input.seed ?? 20261207);
  const drawn = providers.map(() => new Float64Array(draws));
  const totals = new Float64Array(draws);
  for (let d = 0; d < draws; d++) {
    providers.forEach((p, i) => {
      const value = Math.max(0, gapAt(p, p.mean + p.sd * normal()));
      drawn[i][d] = value;
      totals[d] += value;
    });
  }
  const [low, high] = [(1 - coverage) / 2, (1 + coverage) / 2];
  const result = providers.map((p, i): ProviderOpportunity => {
    const gap = gapAt(p, p.mean);
    const sorted = drawn[i].sort();
    return { id: p.id, estimate: toNatural(p.mean), gap, opportunity: Math.max(0, gap), lower: quantile(sorted, low), upper: quantile(sorted, high) };
  });
  totals.sort();
  return {
    providers: result,
    total: { opportunity: result.reduce((sum, p) => sum + p.opportunity, 0), lower: quantile(totals, low), upper: quantile(totals, high) },
  };
}

/** R's type 7 quantile of sorted values. */
function quantile(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}
