import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { binomialQuantile } from './binomial-quantile';

// [q, n, p, quantile] from test/fixtures/chance/binomial-quantiles.csv: qbinom's definition in exact rational
// arithmetic (Python fractions, binomial-quantiles.py beside it), copied here as api/stats imports no node:fs.
const fixture = [
  [0.025, 1, 0.05, 0],
  [0.975, 1, 0.05, 1],
  [0.025, 1, 0.002, 0],
  [0.975, 1, 0.002, 0],
  [0.025, 5, 0.05, 0],
  [0.975, 5, 0.05, 1],
  [0.025, 5, 0.002, 0],
  [0.975, 5, 0.002, 0],
  [0.025, 38, 0.05, 0],
  [0.975, 38, 0.05, 5],
  [0.025, 38, 0.002, 0],
  [0.975, 38, 0.002, 1],
  [0.025, 128, 0.05, 2],
  [0.975, 128, 0.05, 12],
  [0.025, 128, 0.002, 0],
  [0.975, 128, 0.002, 2],
  [0.025, 1157, 0.05, 44],
  [0.975, 1157, 0.05, 73],
  [0.025, 1157, 0.002, 0],
  [0.975, 1157, 0.002, 6],
  [0.025, 3000, 0.05, 127],
  [0.975, 3000, 0.05, 174],
  [0.025, 3000, 0.002, 2],
  [0.975, 3000, 0.002, 11]
];

describe('binomialQuantile', () => {
  it.each(fixture)('qbinom(%d, %d, %d) = %d (exact reference, binomial-quantiles.py)', (q, n, p, expected) => {
    expect(binomialQuantile(q, n, p)).toBe(expected);
  });

  it('by hand: Binomial(2, ½) has CDF ¼, ¾, 1, so the quantiles at ¼ (on a step), 0.3 and 0.8 are 0, 1 and 2', () => {
    expect([0.25, 0.3, 0.8].map((q) => binomialQuantile(q, 2, 0.5))).toEqual([0, 1, 2]);
  });

  it('degenerate: p = 0 gives 0, p = 1 gives n, no trials gives 0', () => {
    expect([binomialQuantile(0.975, 10, 0), binomialQuantile(0.025, 10, 1), binomialQuantile(0.5, 0, 0.3)]).toEqual([0, 10, 0]);
  });

  it('rejects what has no quantile', () => {
    expect(() => binomialQuantile(1.5, 3, 0.5)).toThrow(new StatsInputError('binomialQuantile requires a probability q between 0 and 1'));
    expect(() => binomialQuantile(0.5, 2.5, 0.5)).toThrow(new StatsInputError('binomialQuantile requires a whole number of trials of at least zero'));
    expect(() => binomialQuantile(0.5, 3, -0.1)).toThrow(new StatsInputError('binomialQuantile requires a success probability between 0 and 1'));
  });
});
