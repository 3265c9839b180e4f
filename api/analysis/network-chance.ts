import { flaggedAtLeastOnce, outliersByChance, type OutliersByChance } from '../stats/chance';
import { binomialQuantile } from '../stats/distributions';

/** One indicator's funnel as the variation finder sees it: members judged on it, and those it flags. */
export interface JudgedIndicator {
  judged: readonly string[];
  flagged: readonly string[];
}

export interface NetworkChance extends OutliersByChance {
  /** Member × indicator results judged (published members on an available funnel). */
  judged: number;
  /** Of those, the results beyond the judging limit. */
  observed: number;
  /** Per number k of indicators a member is judged on: how many members, and the chance 1 − (1 − p)^k that one in control on all k is flagged at least once. */
  atLeastOnce: { indicators: number; providers: number; probability: number }[];
}

/**
 * The chance context of a network's findings (Jones, Ohlssen & Spiegelhalter 2008, Stat Med 27:1417):
 * the results flagged beyond the judging limit beside Binomial(results judged, 1 − coverage), and, since each
 * member is judged on several indicators, the chance that a member in control everywhere is flagged on at
 * least one. Only published results count, so no withheld figure can be recovered from it.
 */
export function networkChance(indicators: readonly JudgedIndicator[], coverage: number): NetworkChance {
  const perProvider = new Map<string, number>();
  for (const { judged } of indicators) for (const code of judged) perProvider.set(code, (perProvider.get(code) ?? 0) + 1);
  const judged = indicators.reduce((sum, indicator) => sum + indicator.judged.length, 0);
  const byK = new Map<number, number>();
  for (const k of perProvider.values()) byK.set(k, (byK.get(k) ?? 0) + 1);
  const base = outliersByChance(judged, coverage);
  return {
    ...base,
    judged,
    observed: indicators.reduce((sum, indicator) => sum + indicator.flagged.length, 0),
    atLeastOnce: [...byK]
      .sort(([a], [b]) => a - b)
      .map(([indicators, providers]) => ({ indicators, providers, probability: flaggedAtLeastOnce(indicators, base.probability) })),
  };
}

export interface PersistenceChance extends OutliersByChance {
  /** k: periods in a row. */
  periods: number;
  /** Member × indicator pairs judged in each of the last k periods: those that could be persistent. */
  judged: number;
  /** Of those, the pairs outside the same 95 % limit in all k. */
  observed: number;
}

/**
 * The chance context of the persistent outliers: a provider in control, its periods independent, lies outside
 * the same 95 % limit in each of k periods with probability 2 × 0.025^k, so chance alone puts
 * Binomial(pairs judged in all k, 2 × 0.025^k) of them in the list (`coverage` is then the 95 % of each period's
 * limit). It assumes each period's counts are drawn independently: overlapping periods (rolling twelve months) share
 * events, and for them chance alone gives more.
 */
export function persistenceChance(judged: number, observed: number, periods: number): PersistenceChance {
  const probability = 2 * 0.025 ** periods;
  // Not through outliersByChance's coverage: 1 − (1 − p) loses p's digits when p is this small.
  return {
    coverage: 0.95,
    probability,
    expected: judged * probability,
    lower: binomialQuantile(0.025, judged, probability),
    upper: binomialQuantile(0.975, judged, probability),
    periods,
    judged,
    observed,
  };
}
