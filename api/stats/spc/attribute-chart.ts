import { requireInput } from '../errors';
import { chartSegments, type SegmentOptions } from './chart-segments';
import type { LimitedPoint, SpcSegment } from './types';

export interface AttributePoint extends LimitedPoint {
  numerator: number;
  denominator: number;
}

export interface AttributeChart {
  segments: SpcSegment[];
  points: AttributePoint[];
}

/** What distinguishes a p chart from a u chart: its name, its sigma and its ceiling. */
export interface AttributeChartKind {
  functionName: string;
  /** Standard error of one point with denominator n around the centre. */
  sigma: (centre: number, denominator: number) => number;
  /** Highest possible value (1 for a proportion), or Infinity. */
  ceiling: number;
  /** A proportion's numerator counts members of its denominator, so cannot exceed it. */
  numeratorWithinDenominator: boolean;
}

/**
 * Shared calculation of the attribute charts (Montgomery, "Introduction to Statistical Quality
 * Control", chapter 7): per segment, centre = Σ numerators / Σ denominators over the baseline
 * (pooled, not a mean of rates, so large denominators weigh more); per point, limits at ±3σ and
 * a band at ±2σ for the "two of three" rule (Making Data Count 2019), clamped to [0, ceiling]
 * because a rate cannot leave that range. Validation common to both kinds happens here.
 */
export function attributeChart(
  numerators: readonly number[],
  denominators: readonly number[],
  options: SegmentOptions,
  kind: AttributeChartKind,
): AttributeChart {
  const name = kind.functionName;
  requireInput(numerators.length === denominators.length, name, 'numerators and denominators of the same length');
  requireInput(numerators.length > 0, name, 'at least one point');
  requireInput(numerators.every(Number.isFinite) && denominators.every(Number.isFinite), name, 'finite numerators and denominators');
  requireInput(denominators.every((n) => n > 0), name, 'denominators greater than zero');
  requireInput(numerators.every((x) => x >= 0), name, 'numerators of at least zero');
  if (kind.numeratorWithinDenominator) {
    requireInput(numerators.every((x, i) => x <= denominators[i]), name, 'numerators no greater than their denominators');
  }

  const clamp = (limit: number) => Math.min(kind.ceiling, Math.max(0, limit));
  const segments: SpcSegment[] = [];
  const points: AttributePoint[] = [];
  for (const bounds of chartSegments(numerators.length, options, name, 1)) {
    const baselineEnd = bounds.start + bounds.baselineLength;
    const centre = total(numerators, bounds.start, baselineEnd) / total(denominators, bounds.start, baselineEnd);
    segments.push({ ...bounds, centre });
    for (let index = bounds.start; index < bounds.end; index++) {
      const numerator = numerators[index];
      const denominator = denominators[index];
      const sigma = kind.sigma(centre, denominator);
      points.push({
        index,
        value: numerator / denominator,
        numerator,
        denominator,
        segment: segments.length - 1,
        centre,
        lowerLimit: clamp(centre - 3 * sigma),
        upperLimit: clamp(centre + 3 * sigma),
        lowerTwoSigma: clamp(centre - 2 * sigma),
        upperTwoSigma: clamp(centre + 2 * sigma),
      });
    }
  }
  return { segments, points };
}

function total(values: readonly number[], start: number, end: number): number {
  let sum = 0;
  for (let i = start; i < end; i++) sum += values[i];
  return sum;
}
