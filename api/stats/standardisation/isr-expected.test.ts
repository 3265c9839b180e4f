import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { isrExpected } from './isr-expected';

describe('isrExpected', () => {
  it('sums each band’s population times its reference rate', () => {
    // 1000 × 0.01 + 500 × 0.1 = 60: a weighting slip (rates summed, or populations) gives another number.
    expect(isrExpected([{ population: 1000, referenceRate: 0.01 }, { population: 500, referenceRate: 0.1 }])).toBeCloseTo(60, 12);
  });

  it('refuses no strata and negative figures', () => {
    expect(() => isrExpected([])).toThrow(StatsInputError);
    expect(() => isrExpected([{ population: -1, referenceRate: 0.1 }])).toThrow(StatsInputError);
    expect(() => isrExpected([{ population: 1, referenceRate: Number.NaN }])).toThrow(StatsInputError);
  });
});
