import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pChart, specialCauseRules, uChart, xmrChart } from '../../api/stats';

/**
 * Properties of Making Data Count charts for any series: XmR limits are symmetric about the centre and
 * move with the data (shifted data, shifted limits), attribute limits stay within what a rate can be,
 * and the special-cause rules treat high and low alike. A broken rebase or screen shows up here first.
 */

const close = (actual: number, expected: number, scale: number) => Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(scale));

const series = fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 2, maxLength: 60 });
/** Rebase points and a baseline length that fit the series, or none. */
const segmentOptions = (length: number) =>
  fc.record(
    {
      rebaseAt: fc.uniqueArray(fc.integer({ min: 1, max: Math.max(1, length - 1) }), { maxLength: 3 }).map((indices) => indices.filter((i) => i < length).sort((a, b) => a - b)),
      baselineLength: fc.integer({ min: 2, max: Math.max(2, length) }),
    },
    { requiredKeys: [] },
  );
const seriesWithOptions = series.chain((values) => fc.tuple(fc.constant(values), segmentOptions(values.length), fc.boolean()));

describe('XmR chart', () => {
  it('has limits and the two-sigma band symmetric about the centre, in order', () => {
    fc.assert(
      fc.property(seriesWithOptions, ([values, options, screen]) => {
        const chart = xmrChart(values, { ...options, screenMovingRanges: screen });
        expect(chart.points).toHaveLength(values.length);
        const magnitude = Math.max(...values.map(Math.abs));
        for (const point of chart.points) {
          if (point.lowerLimit === null || point.upperLimit === null || point.lowerTwoSigma === null || point.upperTwoSigma === null) continue;
          expect(close(point.upperLimit - point.centre, point.centre - point.lowerLimit, magnitude)).toBe(true);
          expect(close(point.upperTwoSigma - point.centre, point.centre - point.lowerTwoSigma, magnitude)).toBe(true);
          expect(point.lowerLimit).toBeLessThanOrEqual(point.lowerTwoSigma);
          expect(point.lowerTwoSigma).toBeLessThanOrEqual(point.centre);
          expect(point.centre).toBeLessThanOrEqual(point.upperTwoSigma);
          expect(point.upperTwoSigma).toBeLessThanOrEqual(point.upperLimit);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('moves with the data: adding a constant shifts the centre and limits by it and keeps their width', () => {
    fc.assert(
      fc.property(seriesWithOptions, fc.double({ min: -1e4, max: 1e4, noNaN: true }), ([values, options], shift) => {
        const chart = xmrChart(values, options);
        const shifted = xmrChart(
          values.map((value) => value + shift),
          options,
        );
        const magnitude = Math.max(...values.map(Math.abs)) + Math.abs(shift);
        chart.points.forEach((point, i) => {
          const moved = shifted.points[i];
          expect(close(moved.centre, point.centre + shift, magnitude)).toBe(true);
          if (point.upperLimit !== null && moved.upperLimit !== null && point.lowerLimit !== null && moved.lowerLimit !== null) {
            expect(close(moved.upperLimit - moved.lowerLimit, point.upperLimit - point.lowerLimit, magnitude)).toBe(true);
          }
        });
      }),
      { numRuns: 200 },
    );
  });

  it('flags outside_limits exactly for the points beyond the limits, on their side', () => {
    fc.assert(
      fc.property(seriesWithOptions, ([values, options]) => {
        const { points } = xmrChart(values, options);
        specialCauseRules(points).forEach((result, i) => {
          const { value, lowerLimit, upperLimit } = points[i];
          const side = upperLimit !== null && value > upperLimit ? 'high' : lowerLimit !== null && value < lowerLimit ? 'low' : null;
          expect(result.rulesMet.includes('outside_limits')).toBe(side !== null);
          if (side !== null) expect([result.rule, result.direction]).toEqual(['outside_limits', side]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('treats high and low alike: negating the series meets the same rules in the opposite direction', () => {
    const opposite = { high: 'low', low: 'high' } as const;
    fc.assert(
      fc.property(seriesWithOptions, fc.integer({ min: 2, max: 10 }), fc.integer({ min: 2, max: 10 }), ([values, options], trendLength, runLength) => {
        const rules = { trendLength, runLength };
        const original = specialCauseRules(xmrChart(values, options).points, rules);
        const negated = specialCauseRules(
          xmrChart(
            values.map((value) => -value),
            options,
          ).points,
          rules,
        );
        original.forEach((result, i) => {
          expect(negated[i].rulesMet).toEqual(result.rulesMet);
          expect(negated[i].direction).toBe(result.direction === null ? null : opposite[result.direction]);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('attribute charts', () => {
  const attributeSeries = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 100_000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 1, maxLength: 40 })
    .map((pairs) => ({ numerators: pairs.map(([n, fraction]) => Math.round(n * fraction)), denominators: pairs.map(([n]) => n) }));

  it('p chart limits lie within [0, 1] around the centre, tighter for larger denominators', () => {
    fc.assert(
      fc.property(attributeSeries, ({ numerators, denominators }) => {
        const { points } = pChart(numerators, denominators);
        for (const point of points) {
          expect(point.lowerLimit).toBeGreaterThanOrEqual(0);
          expect(point.lowerLimit).toBeLessThanOrEqual(point.centre);
          expect(point.upperLimit).toBeGreaterThanOrEqual(point.centre);
          expect(point.upperLimit).toBeLessThanOrEqual(1);
        }
        // One segment: the same centre for all, so a larger denominator must not have a wider upper limit.
        const byDenominator = [...points].sort((a, b) => a.denominator - b.denominator);
        byDenominator.slice(1).forEach((point, i) => expect(point.upperLimit!).toBeLessThanOrEqual(byDenominator[i].upperLimit! + 1e-15));
      }),
      { numRuns: 200 },
    );
  });

  it('u chart limits are never negative and the centre is the pooled rate Σx/Σn', () => {
    fc.assert(
      fc.property(attributeSeries, ({ numerators, denominators }) => {
        const { points } = uChart(numerators, denominators);
        const pooled = numerators.reduce((a, b) => a + b, 0) / denominators.reduce((a, b) => a + b, 0);
        for (const point of points) {
          expect(point.lowerLimit).toBeGreaterThanOrEqual(0);
          expect(close(point.centre, pooled, pooled)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
