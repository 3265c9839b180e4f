import { requireInput } from '../errors';
import { chartSegments, type SegmentOptions } from './chart-segments';
import type { LimitedPoint, SpcSegment } from './types';

export interface AttributePoint extends LimitedPoint {
  numerator: number;
  denominator: number;
}

export interface AttributeSegment extends SpcSegment {
  /**
   * Laney's σ_z: the spread of the baseline's standardised values, by which every sigma of the segment is
   * multiplied. Present on p′ and u′ charts only; `null` when it cannot be estimated (a one-point baseline, or a
   * centre of 0 or 1 that leaves no sigma to standardise by).
   */
  sigmaZ?: number | null;
}

export interface AttributeChart {
  segments: AttributeSegment[];
  points: AttributePoint[];
}

/** What distinguishes the attribute charts (p, u, p′, u′): their name, sigma, ceiling and spread between subgroups. */
export interface AttributeChartKind {
  functionName: string;
  /** Standard error of one point with denominator n around the centre. */
  sigma: (centre: number, denominator: number) => number;
  /** Highest possible value (1 for a proportion), or Infinity. */
  ceiling: number;
  /** A proportion's numerator counts members of its denominator, so cannot exceed it. */
  numeratorWithinDenominator: boolean;
  /**
   * Laney's adjustment: from the standardised values zᵢ = (yᵢ − centre)/σᵢ of a segment's baseline, the factor
   * σ_z that multiplies every σᵢ of the segment (`null` when it cannot be estimated). Absent on p and u charts.
   */
  betweenSubgroupSpread?: (standardisedBaseline: readonly number[]) => number | null;
}

/**
 * Shared calculation of the attribute charts (Montgomery, "Introduction to Statistical Quality
 * Control", chapter 7): per segment, centre = Σ numerators / Σ denominators over the baseline
 * (pooled, not a mean of rates, so large denominators weigh more); per point, limits at ±3σ and
 * a band at ±2σ for the "two of three" rule (Making Data Count 2019), clamped to [0, ceiling]
 * because a rate cannot leave that range. Laney's p′ and u′ charts (Laney 2002) multiply each sigma by the
 * segment's σ_z. Validation common to every kind happens here.
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
  const spreadOf = kind.betweenSubgroupSpread;
  const segments: AttributeSegment[] = [];
  const points: AttributePoint[] = [];
  for (const bounds of chartSegments(numerators.length, options, name, spreadOf ? 2 : 1)) {
    const baselineEnd = bounds.start + bounds.baselineLength;
    const centre = total(numerators, bounds.start, baselineEnd) / total(denominators, bounds.start, baselineEnd);
    let spread: number | null = 1;
    if (spreadOf) {
      const standardised: number[] = [];
      for (let i = bounds.start; i < baselineEnd; i++) standardised.push((numerators[i] / denominators[i] - centre) / kind.sigma(centre, denominators[i]));
      spread = spreadOf(standardised);
      segments.push({ ...bounds, centre, sigmaZ: spread });
    } else segments.push({ ...bounds, centre });
    for (let index = bounds.start; index < bounds.end; index++) {
      const numerator = numerators[index];
      const denominator = denominators[index];
      // A sigma of 0 (centre 0 or 1) collapses the limits onto the centre whatever the spread.
      const withinSigma = kind.sigma(centre, denominator);
      const sigma = withinSigma === 0 ? 0 : spread === null ? null : withinSigma * spread;
      const limit = (multiple: number) => (sigma === null ? null : clamp(centre + multiple * sigma));
      points.push({
        index,
        value: numerator / denominator,
        numerator,
        denominator,
        segment: segments.length - 1,
        centre,
        lowerLimit: limit(-3),
        upperLimit: limit(3),
        lowerTwoSigma: limit(-2),
        upperTwoSigma: limit(2),
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
