import { quantileSorted } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { winsoriseZScores } from './winsorise';

describe('winsoriseZScores', () => {
  it('relies on simple-statistics quantileSorted being R type 7: quantile(1:4, 0.1) = 1.3, quantile(1:10, 0.9) = 9.1', () => {
    // Without interpolation (older simple-statistics releases) the first would be 1 and φ would shift.
    expect(quantileSorted([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3, 15);
    expect(quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 14);
    expect(quantileSorted([-3, -1, 0, 1, 5], 0.5)).toBe(0);
  });

  it('clamps to the type-7 10th and 90th percentiles (hand-computed: −2.2 and 3.4 for five z-scores)', () => {
    const result = winsoriseZScores([-3, -1, 0, 1, 5]);
    expect(result.lower).toBeCloseTo(-2.2, 14);
    expect(result.upper).toBeCloseTo(3.4, 14);
    expect(result.values.map((v) => Number(v.toFixed(12)))).toEqual([-2.2, -1, 0, 1, 3.4]);
    expect(result.winsorised).toEqual([true, false, false, false, true]);
  });

  it("flags a z exactly on a quantile, as FunnelPlotR's `winsorised` column does (its value is unchanged)", () => {
    const result = winsoriseZScores([-1, 0, 1], 0);
    expect(result.values).toEqual([-1, 0, 1]);
    expect(result.winsorised).toEqual([true, false, true]);
  });

  it('leaves identical z-scores alone', () => {
    expect(winsoriseZScores([0, 0, 0]).values).toEqual([0, 0, 0]);
  });

  it('rejects empty input, NaN and fractions of one half or more', () => {
    expect(() => winsoriseZScores([])).toThrow(new StatsInputError('winsoriseZScores requires at least one z-score'));
    expect(() => winsoriseZScores([Number.NaN])).toThrow(StatsInputError);
    expect(() => winsoriseZScores([1, 2], 0.5)).toThrow(new StatsInputError('winsoriseZScores requires a fraction of at least 0 and below 0.5'));
  });
});
