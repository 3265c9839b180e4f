import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { pChart } from './p-chart';

const close = (actual: number | null, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('pChart', () => {
  it('pools p̄ = Σx / Σn and gives each point limits from its own denominator (Montgomery ch. 7, hand computed)', () => {
    // p̄ = 60 / 400 = 0.15 (a mean of the three rates would give 0.1833: that is the bug this guards).
    const { segments, points } = pChart([10, 20, 30], [100, 200, 100]);
    close(segments[0].centre, 0.15);
    const sigma100 = Math.sqrt((0.15 * 0.85) / 100); // 0.0357071
    const sigma200 = Math.sqrt((0.15 * 0.85) / 200); // 0.0252488
    close(points[0].upperLimit, 0.15 + 3 * sigma100);
    close(points[0].lowerTwoSigma, 0.15 - 2 * sigma100);
    close(points[1].upperLimit, 0.15 + 3 * sigma200);
    expect(points[2]).toMatchObject({ value: 0.3, numerator: 30, denominator: 100 });
  });

  it('clamps limits to [0, 1]: a proportion cannot be negative', () => {
    // p̄ = 0.05, n = 10: 0.05 − 3 × 0.0689 = −0.157 → 0; the two-sigma edge −0.088 → 0 too.
    const { points } = pChart([1, 0], [10, 10]);
    expect(points[0].lowerLimit).toBe(0);
    expect(points[0].lowerTwoSigma).toBe(0);
    close(points[0].upperLimit, 0.05 + 3 * Math.sqrt((0.05 * 0.95) / 10));
    expect(pChart([9, 10], [10, 10]).points[0].upperLimit).toBe(1);
  });

  it('uses only the baseline for p̄, and a fresh p̄ after a rebase', () => {
    expect(pChart([10, 20, 30], [100, 200, 100], { baselineLength: 2 }).segments[0].centre).toBeCloseTo(0.1, 12);
    const rebased = pChart([1, 1, 5, 5], [10, 10, 10, 10], { rebaseAt: [2] });
    expect(rebased.segments.map((segment) => segment.centre)).toEqual([0.1, 0.5]);
    expect(rebased.points[3].segment).toBe(1);
  });

  it('collapses every limit onto the centre when p̄ is 0 (no spread to estimate)', () => {
    const { points } = pChart([0, 0, 0], [10, 20, 30]);
    expect(points[1]).toMatchObject({ centre: 0, lowerLimit: 0, upperLimit: 0, lowerTwoSigma: 0, upperTwoSigma: 0 });
  });

  it('rejects invalid input with one message format', () => {
    expect(() => pChart([1, 2], [10])).toThrow(new StatsInputError('pChart requires numerators and denominators of the same length'));
    expect(() => pChart([], [])).toThrow('pChart requires at least one point');
    expect(() => pChart([1, 2], [10, 0])).toThrow('pChart requires denominators greater than zero');
    expect(() => pChart([1, Number.NaN], [10, 10])).toThrow('pChart requires finite numerators and denominators');
    expect(() => pChart([-1, 2], [10, 10])).toThrow('pChart requires numerators of at least zero');
    expect(() => pChart([11, 2], [10, 10])).toThrow('pChart requires numerators no greater than their denominators');
  });
});
