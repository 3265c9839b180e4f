import { binomialQuantile } from '../distributions';
import { requireInput } from '../errors';

export interface OutliersByChance {
  coverage: number;
  /** Chance that one in-control result falls beyond the two-sided limit: 1 − coverage. */
  probability: number;
  /** n × probability. */
  expected: number;
  /** The 2.5 % and 97.5 % quantiles of Binomial(n, probability): how many chance alone puts beyond the limit. */
  lower: number;
  upper: number;
}

/**
 * How many of n judged results fall beyond a two-sided limit of the given coverage by chance alone, if
 * every provider were in control: Binomial(n, 1 − coverage), its mean and central 95 % range (Spiegelhalter
 * 2005, Stat Med 24:1185, on multiple comparisons in funnel plots; Jones, Ohlssen & Spiegelhalter 2008, Stat Med 27:1417).
 */
export function outliersByChance(n: number, coverage: number): OutliersByChance {
  requireInput(coverage > 0 && coverage < 1, 'outliersByChance', 'a coverage between 0 and 1');
  const probability = 1 - coverage;
  return {
    coverage,
    probability,
    expected: n * probability,
    lower: binomialQuantile(0.025, n, probability),
    upper: binomialQuantile(0.975, n, probability),
  };
}

/**
 * The chance that a provider in control on all k independent judged results is flagged on at least one,
 * each beyond its limit with probability p: 1 − (1 − p)^k.
 */
export function flaggedAtLeastOnce(k: number, p: number): number {
  requireInput(Number.isInteger(k) && k >= 0, 'flaggedAtLeastOnce', 'a whole number of results of at least zero');
  requireInput(p >= 0 && p <= 1, 'flaggedAtLeastOnce', 'a probability between 0 and 1');
  return 1 - (1 - p) ** k;
}
