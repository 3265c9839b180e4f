import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { chartSegments } from './chart-segments';

describe('chartSegments', () => {
  it('is one segment with every point in the baseline by default', () => {
    expect(chartSegments(5, {}, 'xmrChart', 2)).toEqual([{ start: 0, end: 5, baselineLength: 5 }]);
  });

  it('starts a new segment at each rebase index, each with its own baseline (NHSRplotthedots rebase groups)', () => {
    expect(chartSegments(10, { rebaseAt: [4, 7], baselineLength: 3 }, 'xmrChart', 2)).toEqual([
      { start: 0, end: 4, baselineLength: 3 },
      { start: 4, end: 7, baselineLength: 3 },
      { start: 7, end: 10, baselineLength: 3 },
    ]);
  });

  it('gives a segment shorter than the baseline all its points, including a one-point last segment', () => {
    // Without the cap a trailing one-point segment would claim a baseline beyond the series.
    expect(chartSegments(6, { rebaseAt: [5], baselineLength: 4 }, 'xmrChart', 2)).toEqual([
      { start: 0, end: 5, baselineLength: 4 },
      { start: 5, end: 6, baselineLength: 1 },
    ]);
  });

  it.each([
    [[0], 'index 0 would make an empty first segment'],
    [[6], 'index past the end'],
    [[3, 3], 'repeated index'],
    [[4, 2], 'decreasing indices'],
    [[2.5], 'not an integer'],
  ])('rejects rebase indices %j (%s)', (rebaseAt) => {
    expect(() => chartSegments(6, { rebaseAt }, 'xmrChart', 2)).toThrow(
      new StatsInputError('xmrChart requires rebase indices that are increasing integers between 1 and the last index'),
    );
  });

  it('rejects a baseline longer than the series, or too short to estimate spread', () => {
    expect(() => chartSegments(6, { baselineLength: 7 }, 'xmrChart', 2)).toThrow(
      'xmrChart requires a baseline no longer than the series',
    );
    expect(() => chartSegments(6, { baselineLength: 1 }, 'xmrChart', 2)).toThrow(
      'xmrChart requires a baseline length that is an integer of at least 2',
    );
    expect(chartSegments(6, { baselineLength: 1 }, 'pChart', 1)[0].baselineLength).toBe(1);
  });
});
