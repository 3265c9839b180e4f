import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { sortedOrder } from './sorted-order';

describe('sortedOrder (LSD radix sort of IEEE 754 bits)', () => {
  it('orders negatives, zeros, subnormals and infinities numerically, ties in their original order', () => {
    const values = [3, -0, -Infinity, 5e-324, -2.5, 0, Infinity, -5e-324, 3, 1e308, -1e-308, 0.1];
    expect([...sortedOrder(values)]).toEqual([2, 4, 10, 7, 1, 5, 3, 11, 0, 8, 9, 6]);
  });

  it('agrees with a stable comparator sort for any doubles (as numbers: −0 and +0 are equal)', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.integer({ min: -3, max: 3 })), { maxLength: 400 }), (values) => {
        const order = [...sortedOrder(values)];
        expect([...order].sort((a, b) => a - b)).toEqual(values.map((_, i) => i));
        const sortedValues = order.map((i) => values[i]);
        const reference = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
        sortedValues.forEach((value, k) => expect(value === reference[k]).toBe(true));
        // Among values that are equal and of one sign, the original order is kept.
        for (let k = 1; k < order.length; k++) {
          if (Object.is(sortedValues[k], sortedValues[k - 1])) expect(order[k]).toBeGreaterThan(order[k - 1]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('orders a million values', () => {
    let seed = 1;
    const values = Float64Array.from({ length: 1_000_000 }, () => (seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5);
    const order = sortedOrder(values);
    for (let k = 1; k < order.length; k++) if (values[order[k]] < values[order[k - 1]]) throw new Error(`out of order at ${k}`);
    expect(order).toHaveLength(1_000_000);
  });

  it('refuses NaN and gives an empty order for no values', () => {
    expect(() => sortedOrder([1, Number.NaN])).toThrow(new StatsInputError('sortedOrder requires values that are numbers'));
    expect(sortedOrder([])).toHaveLength(0);
  });
});
