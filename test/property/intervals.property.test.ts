import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  byarInterval,
  clopperPearsonInterval,
  dobsonInterval,
  exactPoissonInterval,
  meanInterval,
  rateInterval,
  standardisedRatioInterval,
  wilsonInterval,
  type Interval,
} from '../../api/stats';

/**
 * Properties every confidence interval must have whatever the counts: it contains its estimate, a
 * proportion's stays in [0, 1], and a higher confidence never gives a narrower interval. The unit tests
 * beside each method pin published values; these look for the inputs nobody thought to pin.
 */

const confidence = fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.998);
const confidencePair = fc.uniqueArray(confidence, { minLength: 2, maxLength: 2 }).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);
/** x/n from one denominator and the fraction of it that are events, so x ≤ n without a dependent arbitrary. */
const proportion = fc
  .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.double({ min: 0, max: 1, noNaN: true }))
  .map(([denominator, fraction]) => ({ numerator: Math.round(fraction * denominator), denominator }));
const count = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 1_000_000 }));

function expectContains(interval: Interval): void {
  expect(interval.lower).toBeLessThanOrEqual(interval.estimate);
  expect(interval.upper).toBeGreaterThanOrEqual(interval.estimate);
}

function expectNested(narrow: Interval, wide: Interval): void {
  expect(wide.lower).toBeLessThanOrEqual(narrow.lower);
  expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper);
}

function expectRelativelyClose(actual: number, expected: number, tolerance = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(tolerance * Math.max(1, Math.abs(expected)));
}

describe('proportion intervals (Wilson, Clopper–Pearson)', () => {
  for (const [name, interval] of [['wilsonInterval', wilsonInterval], ['clopperPearsonInterval', clopperPearsonInterval]] as const) {
    it(`${name} contains x/n and lies within [0, 1]`, () => {
      fc.assert(
        fc.property(proportion, confidence, ({ numerator, denominator }, level) => {
          const result = interval(numerator, denominator, level);
          expectContains(result);
          expect(result.lower).toBeGreaterThanOrEqual(0);
          expect(result.upper).toBeLessThanOrEqual(1);
        }),
        { numRuns: 300 },
      );
    });

    it(`${name} widens with the confidence level`, () => {
      fc.assert(
        fc.property(proportion, confidencePair, ({ numerator, denominator }, [low, high]) => {
          expectNested(interval(numerator, denominator, low), interval(numerator, denominator, high));
        }),
        { numRuns: 200 },
      );
    });

    it(`${name} is symmetric: x events of n mirror n − x`, () => {
      fc.assert(
        fc.property(proportion, confidence, ({ numerator, denominator }, level) => {
          const events = interval(numerator, denominator, level);
          const complement = interval(denominator - numerator, denominator, level);
          expect(events.lower).toBeCloseTo(1 - complement.upper, 9);
          expect(events.upper).toBeCloseTo(1 - complement.lower, 9);
        }),
        { numRuns: 200 },
      );
    });
  }

  it('wilsonInterval narrows as the denominator grows at a fixed proportion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 2, max: 50 }), (n, percent, factor) => {
        const small = wilsonInterval((percent * n) / 100, n);
        const large = wilsonInterval((percent * n * factor) / 100, n * factor);
        expect(large.upper - large.lower).toBeLessThan(small.upper - small.lower);
      }),
      { numRuns: 200 },
    );
  });
});

describe('Poisson count intervals (exact, Byar)', () => {
  it('exactPoissonInterval contains the count, is non-negative and widens with confidence', () => {
    fc.assert(
      fc.property(count, confidencePair, (observed, [low, high]) => {
        const narrow = exactPoissonInterval(observed, low);
        expectContains(narrow);
        expect(narrow.lower).toBeGreaterThanOrEqual(0);
        expectNested(narrow, exactPoissonInterval(observed, high));
      }),
      { numRuns: 300 },
    );
  });

  it('byarInterval contains the count from 10 events, where PHE uses it, and stays within 2 % of the exact limits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 1_000_000 }), (observed) => {
        const byar = byarInterval(observed);
        const exact = exactPoissonInterval(observed);
        expectContains(byar);
        expect(Math.abs(byar.lower - exact.lower) / exact.lower).toBeLessThan(0.02);
        expect(Math.abs(byar.upper - exact.upper) / exact.upper).toBeLessThan(0.02);
      }),
      { numRuns: 300 },
    );
  });

  it('the exact limits move up with the count', () => {
    fc.assert(
      fc.property(count, (observed) => {
        const here = exactPoissonInterval(observed);
        const next = exactPoissonInterval(observed + 1);
        expect(next.lower).toBeGreaterThan(here.lower);
        expect(next.upper).toBeGreaterThan(here.upper);
      }),
      { numRuns: 200 },
    );
  });
});

describe('rates, ratios and means', () => {
  const positive = fc.double({ min: 0.01, max: 1e7, noNaN: true });
  const multiplier = fc.constantFrom(1, 100, 1000, 100_000);

  it('rateInterval and standardisedRatioInterval contain their estimate and are non-negative', () => {
    fc.assert(
      fc.property(count, positive, multiplier, confidence, (observed, base, scale, level) => {
        for (const interval of [rateInterval(observed, base, scale, level), standardisedRatioInterval(observed, base, scale, level)]) {
          expectContains(interval);
          expect(interval.lower).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a ratio scales with its multiplier: the interval of O/E × k is k times that of O/E', () => {
    fc.assert(
      fc.property(count, positive, multiplier, (observed, expected, scale) => {
        const unit = standardisedRatioInterval(observed, expected);
        const scaled = standardisedRatioInterval(observed, expected, scale);
        expectRelativelyClose(scaled.lower, unit.lower * scale);
        expectRelativelyClose(scaled.upper, unit.upper * scale);
      }),
      { numRuns: 200 },
    );
  });

  it('meanInterval is centred on the mean and contains it', () => {
    const summary = fc.record({
      mean: fc.double({ min: -1e6, max: 1e6, noNaN: true }),
      sd: fc.double({ min: 0, max: 1e4, noNaN: true }),
      n: fc.integer({ min: 2, max: 100_000 }),
    });
    fc.assert(
      fc.property(summary, confidence, (sample, level) => {
        const interval = meanInterval(sample, level);
        expectContains(interval);
        const tolerance = 1e-9 * Math.max(1, Math.abs(sample.mean));
        expect(Math.abs(interval.upper - sample.mean - (sample.mean - interval.lower))).toBeLessThanOrEqual(tolerance);
      }),
      { numRuns: 200 },
    );
  });

  it('dobsonInterval contains the directly standardised rate whenever it reports one', () => {
    const stratum = fc.record({
      count: fc.integer({ min: 0, max: 5000 }),
      population: fc.integer({ min: 1, max: 1_000_000 }),
      standardPopulation: fc.integer({ min: 0, max: 10_000 }),
    });
    const strata = fc.array(stratum, { minLength: 1, maxLength: 19 }).filter((list) => list.some((s) => s.standardPopulation > 0));
    fc.assert(
      fc.property(strata, confidence, (list, level) => {
        const result = dobsonInterval(list, 100_000, level);
        if (result.suppressedReason !== null) {
          expect(result.totalCount).toBeLessThan(10);
          return;
        }
        expectContains(result);
      }),
      { numRuns: 200 },
    );
  });
});
