import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { uChart } from './u-chart';

const close = (actual: number | null, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('uChart', () => {
  it('pools ū = Σc / Σn and sets limits ū ± 3√(ū / nₜ) per point (Montgomery ch. 7, hand computed)', () => {
    // ū = 15 / 6 = 2.5; n = 2: σ = 1.1180340 → upper 5.8541020; n = 1: σ = 1.5811388 → upper 7.2434165
    const { segments, points } = uChart([4, 9, 2], [2, 3, 1]);
    close(segments[0].centre, 2.5);
    expect(points[0].upperLimit).toBeCloseTo(5.854102, 6);
    close(points[0].upperTwoSigma, 2.5 + 2 * Math.sqrt(1.25));
    expect(points[2].upperLimit).toBeCloseTo(7.2434165, 6);
    expect(points[1].value).toBe(3);
  });

  it('clamps the lower limits at 0 but leaves the upper ones unbounded (counts can exceed exposure)', () => {
    // 2.5 − 3 × 1.118 = −0.854 → 0; a rate of 4.5 events per unit is valid input.
    const { points } = uChart([4, 9, 2], [2, 3, 1]);
    expect(points[0].lowerLimit).toBe(0);
    expect(points[2].lowerTwoSigma).toBe(0);
  });

  it('gives every limit 0 when the baseline has no events', () => {
    expect(uChart([0, 0], [5, 7]).points[1]).toMatchObject({ centre: 0, lowerLimit: 0, upperLimit: 0 });
  });

  it('uses only the baseline and restarts after a rebase', () => {
    const { segments } = uChart([2, 4, 10, 30], [1, 1, 5, 5], { baselineLength: 1, rebaseAt: [2] });
    expect(segments.map((segment) => segment.centre)).toEqual([2, 2]);
  });

  it('rejects invalid input with one message format', () => {
    expect(() => uChart([1], [1, 2])).toThrow(new StatsInputError('uChart requires numerators and denominators of the same length'));
    expect(() => uChart([1], [0])).toThrow('uChart requires denominators greater than zero');
    expect(() => uChart([-1], [2])).toThrow('uChart requires numerators of at least zero');
  });
});
