import { requireInput } from '../errors';
import { poissonCountInterval } from '../intervals';
import { coverageLabel } from './coverage';
import type { FunnelLimit } from './types';

/** 'within', or the widest limit a value lies beyond: 'above-99.8', 'above-95', 'below-95', 'below-99.8' with the default limits. */
export type FunnelBand = 'within' | `above-${string}` | `below-${string}`;

/**
 * Band of a value against control limits at its own precision (Spiegelhalter 2005, Stat Med 24:1185).
 * Limits are inclusive: a value on a limit is within it, as FunnelPlotR 0.6.0 flags outliers
 * (rr ≤ UCL and rr ≥ LCL is not an outlier) and PHEindicatormethods assigns significance (strict < and >).
 */
export function funnelBand(value: number, limits: readonly FunnelLimit[]): FunnelBand {
  requireInput(!Number.isNaN(value), 'funnelBand', 'a value that is a number');
  requireInput(limits.length > 0, 'funnelBand', 'at least one limit');
  // The widest limit the value lies beyond (the first listed among equal coverages), without copying and sorting the limits for every provider.
  let beyond: { coverage: number; side: 'above' | 'below' } | null = null;
  for (const limit of limits) {
    if (beyond !== null && !(limit.coverage > beyond.coverage)) continue;
    if (value > limit.upper) beyond = { coverage: limit.coverage, side: 'above' };
    else if (value < limit.lower) beyond = { coverage: limit.coverage, side: 'below' };
  }
  return beyond === null ? 'within' : bandLabel(beyond.side, beyond.coverage);
}

/** 'above-95' and the like, one string per side and coverage rather than one per provider. */
export function bandLabel(side: 'above' | 'below', coverage: number): FunnelBand {
  const labels = side === 'above' ? aboveLabels : belowLabels;
  let label = labels.get(coverage);
  if (label === undefined) labels.set(coverage, (label = `${side}-${coverageLabel(coverage)}`));
  return label;
}
const aboveLabels = new Map<number, FunnelBand>();
const belowLabels = new Map<number, FunnelBand>();

/**
 * Band of a target against one provider's own confidence intervals: 'above-95' when the target lies
 * below the provider's lower 95 % limit, and so on; PHEindicatormethods 2.1.0's significance for
 * ratios and rates (assign_funnel_significance), which tests the target against each unit's exact or
 * Byar's interval instead of drawing limits about the target. Inclusive like {@link funnelBand}.
 */
export function intervalBand(target: number, intervals: readonly FunnelLimit[]): FunnelBand {
  requireInput(!Number.isNaN(target), 'intervalBand', 'a target that is a number');
  requireInput(intervals.length > 0, 'intervalBand', 'at least one interval');
  const widestFirst = [...intervals].sort((a, b) => b.coverage - a.coverage);
  for (const interval of widestFirst) {
    if (target < interval.lower) return `above-${coverageLabel(interval.coverage)}`;
    if (target > interval.upper) return `below-${coverageLabel(interval.coverage)}`;
  }
  return 'within';
}

/**
 * PHEindicatormethods 2.1.0's significance for ratios (target 1) and rates (target the pooled rate):
 * the target against the provider's own Poisson interval of observed/denominator at each coverage,
 * exact below 10 events and Byar's from 10 (PHE's rule, poissonCountInterval), via {@link intervalBand}.
 */
export function poissonIntervalBand(observed: number, denominator: number, target: number, coverages: readonly number[] = [0.95, 0.998]): FunnelBand {
  requireInput(denominator > 0, 'poissonIntervalBand', 'a denominator greater than zero');
  const intervals = coverages.map((coverage) => {
    const { lower, upper } = poissonCountInterval(observed, coverage);
    return { coverage, lower: lower / denominator, upper: upper / denominator };
  });
  return intervalBand(target, intervals);
}
