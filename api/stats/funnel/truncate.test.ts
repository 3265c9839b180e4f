import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { truncateZScores } from './truncate';

const range = (n: number) => Array.from({ length: n }, (_, i) => i - n / 2);

describe('truncateZScores (NHS Digital SHMI rule as FunnelPlotR 0.6.0 applies it)', () => {
  it('drops ⌊0.1·N⌋ = 5 from each tail of 54 providers (ranks 1–5 and 50–54), as for medpar', () => {
    const { kept } = truncateZScores(range(54));
    expect(kept.map((k, i) => (k ? null : i + 1)).filter((r) => r !== null)).toEqual([1, 2, 3, 4, 5, 50, 51, 52, 53, 54]);
  });

  it('drops none of six providers: group ⌊r·10/7⌋ runs 1 to 8 (FunnelPlotR small6: rk, sp)', () => {
    const result = truncateZScores([-0.8, 3.09, 1.12, -1.67, 1.82, 0.33]);
    expect(result.rank).toEqual([2, 6, 4, 1, 5, 3]);
    expect(result.group).toEqual([2, 8, 5, 1, 7, 4]);
    expect(result.kept.every(Boolean)).toBe(true);
  });

  it('is asymmetric for nine providers: only the top one falls in group k − 1 (a property of the rule, kept)', () => {
    expect(truncateZScores(range(9)).kept).toEqual([true, true, true, true, true, true, true, true, false]);
  });

  it('gives tied z-scores their average rank, as R rank(ties.method = "average")', () => {
    expect(truncateZScores([1, 0, 1, 2]).rank).toEqual([2.5, 1, 2.5, 4]);
  });

  it('rejects empty input and fractions outside (0, 0.5)', () => {
    expect(() => truncateZScores([])).toThrow(new StatsInputError('truncateZScores requires at least one z-score'));
    expect(() => truncateZScores([1], 0)).toThrow(new StatsInputError('truncateZScores requires a fraction above 0 and below 0.5'));
  });
});
