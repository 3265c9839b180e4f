import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { spcChart } from './spc-chart';

describe('spcChart', () => {
  it('joins limits, rules, variation and assurance for an XmR chart (hand computed)', () => {
    // Baseline 1, 3, 2, 4: mean 2.5, moving ranges 2, 1, 2 → 5/3; upper limit 2.5 + 2.66 × 5/3 = 6.933.
    // The 9 after the baseline is outside; with decrease as better it is a concern, and the last point.
    const chart = spcChart({ kind: 'xmr', values: [1, 3, 2, 4, 9], baselineLength: 4, improvementDirection: 'decrease', target: 8 });
    expect(chart.points[4]).toMatchObject({ index: 4, value: 9, rule: 'outside_limits', direction: 'high', specialCause: 'concern' });
    expect(chart.points[4].upperLimit).toBeCloseTo(2.5 + (2.66 * 5) / 3, 12);
    expect(chart.variation).toBe('special_cause_concern_high');
    // Target 8 is above the upper limit and lower is better: consistently passed.
    expect(chart.assurance).toBe('consistent_pass');
  });

  it('names the settings it applied, with the documented defaults', () => {
    expect(spcChart({ kind: 'xmr', values: [1, 2] }).settings).toEqual({
      kind: 'xmr',
      improvementDirection: 'neutral',
      baselineLength: null,
      rebaseAt: [],
      screenMovingRanges: true,
      trendLength: 7,
      runLength: 7,
      twoOfThreeCountsBeyondLimits: false,
      target: null,
    });
  });

  it('runs the rules on p-chart proportions and keeps numerators and denominators', () => {
    // p̄ = 40 / 400 = 0.1; the last point, 25 / 100, is above 0.1 + 3 × 0.03 = 0.19.
    const chart = spcChart({ kind: 'p', numerators: [5, 5, 5, 25], denominators: [100, 100, 100, 100], improvementDirection: 'increase' });
    expect(chart.settings.screenMovingRanges).toBeNull();
    expect(chart.points[3]).toMatchObject({ numerator: 25, denominator: 100, rule: 'outside_limits', specialCause: 'improvement' });
    expect(chart.variation).toBe('special_cause_improvement_high');
    expect(chart.assurance).toBeNull();
  });

  it("draws Laney's p′ chart as kind pprime: the same point the p chart flags falls inside limits widened by σ_z (hand computed)", () => {
    // p̄ = 0.1, σ = 0.03: z = −5/3, −5/3, −5/3, 5; moving ranges 0, 0, 20/3 → σ_z = (20/9) / 1.128 = 1.97006;
    // upper limit 0.1 + 3 × 0.03 × 1.97006 = 0.27730, above the last point's 0.25.
    const chart = spcChart({ kind: 'pprime', numerators: [5, 5, 5, 25], denominators: [100, 100, 100, 100], improvementDirection: 'increase' });
    expect(chart.settings.kind).toBe('pprime');
    expect(chart.segments[0]).toMatchObject({ sigmaZ: expect.closeTo(20 / 9 / 1.128, 12) });
    expect(chart.points[3].upperLimit).toBeCloseTo(0.1 + 0.09 * (20 / 9 / 1.128), 12);
    expect(chart.points[3].rule).not.toBe('outside_limits');
  });

  it('runs the rules on u-chart rates', () => {
    const chart = spcChart({ kind: 'u', numerators: [2, 2, 2, 2, 2, 2, 2], denominators: [1, 1, 1, 1, 1, 1, 1] });
    expect(chart.points.every((point) => point.rule === null)).toBe(true);
    expect(chart.variation).toBe('common_cause');
  });

  it('keeps a flat series common cause and hit and miss against a target on its centre', () => {
    const chart = spcChart({ kind: 'xmr', values: [5, 5, 5, 5, 5, 5, 5, 5], improvementDirection: 'increase', target: 5 });
    expect(chart.points.map((point) => point.pointType)).toEqual(Array(8).fill('common_cause'));
    expect(chart.assurance).toBe('inconsistent');
  });

  it('gives no assurance when the last segment is a single point without limits', () => {
    const chart = spcChart({ kind: 'xmr', values: [1, 2, 3, 10], rebaseAt: [3], improvementDirection: 'increase', target: 5 });
    expect(chart.segments).toHaveLength(2);
    expect(chart.points[3]).toMatchObject({ segment: 1, centre: 10, upperLimit: null, rule: null });
    expect(chart.assurance).toBeNull();
  });

  it('passes input errors through in the stats message format', () => {
    expect(() => spcChart({ kind: 'xmr', values: [1] })).toThrow(new StatsInputError('xmrChart requires at least two values'));
    expect(() => spcChart({ kind: 'p', numerators: [1], denominators: [0] })).toThrow('pChart requires denominators greater than zero');
  });
});
