import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { funnelLimitCurves, logSpacedPrecisions } from './funnel-limit-curves';
import { funnelLimits, type FunnelLimitModel } from './funnel-limits';

const model: FunnelLimitModel = {
  measure: 'ratio', scale: 'log', target: 1, coverages: [0.95, 0.998], poissonLimits: 'chi-squared', proportionLimits: 'exact', tau2: 0.01, phi: 1, multiplier: 1,
};

describe('logSpacedPrecisions', () => {
  it('runs from min to max inclusive with a constant ratio between neighbours', () => {
    const points = logSpacedPrecisions(10, 1000, 3);
    expect(points[0]).toBe(10);
    expect(points[1]).toBeCloseTo(100, 10);
    expect(points[2]).toBe(1000);
  });

  it('widens a single precision to [p/2, 2p] so one provider still gets a funnel', () => {
    expect(logSpacedPrecisions(20, 20, 2)).toEqual([10, 40]);
  });

  it('rejects an empty or inverted range', () => {
    expect(() => logSpacedPrecisions(0, 10)).toThrow(new StatsInputError('logSpacedPrecisions requires precisions with 0 < min ≤ max'));
    expect(() => logSpacedPrecisions(10, 5)).toThrow(StatsInputError);
  });
});

describe('funnelLimitCurves', () => {
  it('returns an unadjusted and an adjusted pair of lines per coverage, 150 points each by default', () => {
    const curves = funnelLimitCurves(model, 5, 500);
    expect(curves.map((c) => [c.kind, c.coverage])).toEqual([
      ['unadjusted', 0.95], ['unadjusted', 0.998], ['adjusted', 0.95], ['adjusted', 0.998],
    ]);
    expect(curves.every((c) => c.points.length === 150)).toBe(true);
  });

  it('evaluates the same limits a provider gets at its own precision', () => {
    const [, , adjusted95] = funnelLimitCurves(model, 5, 500, 10);
    const last = adjusted95.points.at(-1)!;
    expect(last).toEqual({ precision: 500, lower: funnelLimits(model, 500).adjusted[0].lower, upper: funnelLimits(model, 500).adjusted[0].upper });
  });

  it('narrows as precision grows (Spiegelhalter 2005: the funnel shape)', () => {
    const [unadjusted95] = funnelLimitCurves(model, 5, 500, 20);
    const widths = unadjusted95.points.map((p) => p.upper - p.lower);
    expect(widths.every((w, i) => i === 0 || w < widths[i - 1])).toBe(true);
  });
});
