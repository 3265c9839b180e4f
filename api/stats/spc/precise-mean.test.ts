import { describe, expect, it } from 'vitest';
import { sum } from 'simple-statistics';
import { preciseMean } from './precise-mean';

describe('preciseMean', () => {
  it('averages a small series (hand computed: (1 + 2 + 6) / 3 = 3)', () => {
    expect(preciseMean([1, 2, 6])).toBe(3);
  });

  it('returns exactly the value for identical values, where even a compensated sum / n is one ulp off', () => {
    const values = Array<number>(28).fill(0.8123);
    // Without the refinement pass the mean is 0.8122999999999999, and a flat series would
    // plot one ulp above its centre line and start a spurious run of seven.
    expect(sum(values) / values.length).not.toBe(0.8123);
    expect(preciseMean(values)).toBe(0.8123);
  });

  it('keeps precision with a large offset (R mean(c(1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3)))', () => {
    expect(preciseMean([1e9 + 0.1, 1e9 + 0.2, 1e9 + 0.3])).toBeCloseTo(1e9 + 0.2, 6);
  });
});
