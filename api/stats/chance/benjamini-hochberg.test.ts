import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { benjaminiHochberg } from './benjamini-hochberg';

describe('benjaminiHochberg (as R p.adjust(method = "BH"))', () => {
  it('by hand: p = (0.01, 0.04, 0.03, 0.005) ranks 2, 4, 3, 1; m·p/i = 0.02, 0.04, 0.04, 0.02, running minimum from the top', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.005]);
    [0.02, 0.04, 0.04, 0.02].forEach((expected, i) => expect(q[i]).toBeCloseTo(expected, 15));
  });

  it('the running minimum carries a small later ratio down: p = (0.01, 0.02, 0.03, 0.04, 0.05) all become 0.05', () => {
    benjaminiHochberg([0.01, 0.02, 0.03, 0.04, 0.05]).forEach((q) => expect(q).toBeCloseTo(0.05, 15));
  });

  it('keeps ties equal and never exceeds the largest p: p = (0.6, 0.6, 0.9) gives 0.9, 0.9, 0.9', () => {
    // m·p/i: 0.6·3/1 = 1.8 and 0.6·3/2 = 0.9 for the tied pair, 0.9·3/3 = 0.9; the minimum from the top is 0.9 for all.
    expect(benjaminiHochberg([0.6, 0.6, 0.9])).toEqual([0.9, 0.9, 0.9].map((v) => expect.closeTo(v, 15)));
  });

  it('none given, none returned; a p-value outside [0, 1] is refused', () => {
    expect(benjaminiHochberg([])).toEqual([]);
    expect(() => benjaminiHochberg([1.2])).toThrow(new StatsInputError('benjaminiHochberg requires p-values between 0 and 1'));
  });
});
