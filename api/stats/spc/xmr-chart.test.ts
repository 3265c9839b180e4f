import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { xmrChart } from './xmr-chart';

const close = (actual: number | null, expected: number) => expect(actual).toBeCloseTo(expected, 9);

describe('xmrChart', () => {
  it('computes centre, limits and two-sigma band from the mean moving range (hand computed)', () => {
    // mean = 16 / 5 = 3.2; moving ranges 2, 1, 4, 2 → 2.25; 2.66 × 2.25 = 5.985; (2 × 2.66 / 3) × 2.25 = 3.99
    const { segments, points } = xmrChart([1, 3, 2, 6, 4]);
    expect(segments).toHaveLength(1);
    close(segments[0].averageMovingRange, 2.25);
    const point = points[3];
    expect(point).toMatchObject({ index: 3, value: 6, segment: 0 });
    close(point.centre, 3.2);
    close(point.lowerLimit, -2.785);
    close(point.upperLimit, 9.185);
    close(point.lowerTwoSigma, -0.79);
    close(point.upperTwoSigma, 7.19);
  });

  it('screens moving ranges ≥ 3.267 × their mean by default (NHSRplotthedots deviations vignette: 4.60 / 1.94 / −0.72)', () => {
    // Ranges: sixteen 1s plus 8 and 9 → mean 32 / 17; 3.267 × 1.882 = 6.15 drops 8 and 9, leaving a mean of 1.
    // Without screening the spike at 10 widens the limits it should fall outside (vignette: 6.95 / −3.06).
    const values = [1, 2, 1, 2, 10, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1];
    const screened = xmrChart(values);
    expect(screened.segments[0]).toMatchObject({ averageMovingRange: 1, movingRangesExcluded: 2 });
    close(screened.points[0].upperLimit, 35 / 18 + 2.66);
    const unscreened = xmrChart(values, { screenMovingRanges: false });
    close(unscreened.segments[0].averageMovingRange, 32 / 17);
    close(unscreened.points[0].upperLimit, 6.95150326797386);
    close(unscreened.points[0].lowerLimit, -3.06261437908497);
  });

  it('fixes centre and limits on the first baselineLength points ("fix after n points")', () => {
    // Baseline 1, 3, 2: mean 2, ranges 2 and 1 → 1.5. The later 6 and 4 must not move the lines.
    const { segments, points } = xmrChart([1, 3, 2, 6, 4], { baselineLength: 3 });
    expect(segments[0].baselineLength).toBe(3);
    close(points[4].centre, 2);
    close(points[4].upperLimit, 2 + 2.66 * 1.5);
  });

  it('gives each rebase segment its own limits, with no moving range across the rebase', () => {
    // Segment means 1.5 and 10.5, each with mean moving range 1. Were the 2 → 10 jump counted,
    // the second segment's spread would be (1 + 1 + 8 + 1 + 1 + 1 + 1) / 7 instead of 1.
    const { segments, points } = xmrChart([1, 2, 1, 2, 10, 11, 10, 11], { rebaseAt: [4], screenMovingRanges: false });
    expect(segments.map((s) => [s.start, s.end, s.centre, s.averageMovingRange])).toEqual([
      [0, 4, 1.5, 1],
      [4, 8, 10.5, 1],
    ]);
    expect(points[5].segment).toBe(1);
    close(points[5].lowerLimit, 10.5 - 2.66);
  });

  it('collapses the limits onto the centre when every value is identical (mean moving range 0)', () => {
    const { segments, points } = xmrChart([5, 5, 5, 5]);
    expect(segments[0]).toMatchObject({ averageMovingRange: 0, movingRangesExcluded: 0 });
    expect(points[2]).toMatchObject({ centre: 5, lowerLimit: 5, upperLimit: 5, lowerTwoSigma: 5, upperTwoSigma: 5 });
  });

  it('gives a one-point segment after a rebase its value as centre and null limits', () => {
    const { segments, points } = xmrChart([1, 2, 3, 4], { rebaseAt: [3] });
    expect(segments[1]).toMatchObject({ start: 3, end: 4, baselineLength: 1, centre: 4, averageMovingRange: null });
    expect(points[3]).toMatchObject({ centre: 4, lowerLimit: null, upperLimit: null, lowerTwoSigma: null, upperTwoSigma: null });
  });

  it('rejects invalid input with one message format', () => {
    expect(() => xmrChart([1])).toThrow(new StatsInputError('xmrChart requires at least two values'));
    expect(() => xmrChart([1, Number.NaN, 3])).toThrow('xmrChart requires finite values');
    expect(() => xmrChart([1, 2, 3], { baselineLength: 4 })).toThrow('xmrChart requires a baseline no longer than the series');
  });
});
