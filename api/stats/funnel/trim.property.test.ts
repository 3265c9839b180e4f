import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted } from 'simple-statistics';
import { funnelBand } from './funnel-band';
import { coverageLabel } from './coverage';
import { truncateZScores } from './truncate';
import { winsoriseZScores } from './winsorise';

/**
 * The trims and the band sort typed copies and search them rather than sorting an object per provider
 * (linear memory at a million providers). They must agree exactly with the plain definitions they replaced:
 * average ranks from a stable comparator sort, type-7 quantiles of a sorted copy, the widest limit first.
 */

/** z-scores with many ties, signed zeros and infinities: where a sort or a search could disagree. */
const zScores = fc.array(
  fc.oneof(
    fc.integer({ min: -5, max: 5 }).map((n) => n / 2),
    fc.constantFrom(0, -0, Infinity, -Infinity),
    fc.double({ min: -50, max: 50, noNaN: true }),
  ),
  { minLength: 1, maxLength: 300 },
);

function referenceAverageRanks(values: readonly number[]): number[] {
  const order = values.map((value, index) => ({ value, index })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1].value === order[start].value) end++;
    for (let i = start; i <= end; i++) ranks[order[i].index] = (start + end) / 2 + 1;
    start = end + 1;
  }
  return ranks;
}

describe('trims and bands against their plain definitions', () => {
  it('truncation ranks are the average ranks of a comparator sort, whatever the ties', () => {
    fc.assert(
      fc.property(zScores, fc.constantFrom(0.05, 0.1, 0.2, 0.25), (z, fraction) => {
        const { rank, group, kept } = truncateZScores(z, fraction);
        const expected = referenceAverageRanks(z);
        expect(rank).toEqual(expected);
        const k = 1 / fraction;
        expect(group).toEqual(expected.map((r) => Math.floor((r * k) / (z.length + 1))));
        expect(kept).toEqual(group.map((g) => g > 0 && g < k - 1));
      }),
      { numRuns: 300 },
    );
  });

  it('winsorised values and flags are those of the type-7 quantiles of a sorted copy', () => {
    fc.assert(
      fc.property(zScores, fc.constantFrom(0, 0.05, 0.1, 0.2), (z, fraction) => {
        const sorted = [...z].sort((a, b) => a - b);
        const lower = quantileSorted(sorted, fraction);
        const upper = quantileSorted(sorted, 1 - fraction);
        const result = winsoriseZScores(z, fraction);
        // Equal as numbers (a signed zero may come from either copy; ±∞ quantiles may interpolate to NaN in both).
        const same = (actual: number, reference: number) => (Number.isNaN(reference) ? Number.isNaN(actual) : actual === reference);
        expect(same(result.lower, lower) && same(result.upper, upper)).toBe(true);
        result.values.forEach((value, i) => expect(same(value, Math.min(Math.max(z[i], lower), upper))).toBe(true));
        expect(result.winsorised).toEqual(z.map((value) => !(value > lower && value < upper)));
      }),
      { numRuns: 300 },
    );
  });

  it('a band is the widest limit beyond which the value lies, the first listed among equal coverages', () => {
    const limit = fc.record({
      coverage: fc.constantFrom(0.8, 0.9, 0.95, 0.99, 0.998),
      lower: fc.integer({ min: -10, max: 0 }),
      upper: fc.integer({ min: 0, max: 10 }),
    });
    fc.assert(
      fc.property(fc.array(limit, { minLength: 1, maxLength: 6 }), fc.integer({ min: -12, max: 12 }), (limits, value) => {
        let expected = 'within';
        for (const one of [...limits].sort((a, b) => b.coverage - a.coverage)) {
          if (value > one.upper) { expected = `above-${coverageLabel(one.coverage)}`; break; }
          if (value < one.lower) { expected = `below-${coverageLabel(one.coverage)}`; break; }
        }
        expect(funnelBand(value, limits)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
