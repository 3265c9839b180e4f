import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { flaggedAtLeastOnce, outliersByChance } from './outliers-by-chance';

describe('outliersByChance', () => {
  it('1,157 judged results (issue 15, the demo): 2.314 expected beyond 99.8 %, 0 to 6 by chance; 57.85 beyond 95 %, 44 to 73', () => {
    // Ranges from test/fixtures/chance/binomial-quantiles.csv (exact qbinom at 0.025 and 0.975).
    const [at998, at95] = [outliersByChance(1157, 0.998), outliersByChance(1157, 0.95)];
    expect(at998.expected).toBeCloseTo(2.314, 12);
    expect([at998.lower, at998.upper]).toEqual([0, 6]);
    expect(at95.expected).toBeCloseTo(57.85, 12);
    expect([at95.lower, at95.upper]).toEqual([44, 73]);
  });

  it('no judged results: none expected, none possible', () => {
    expect(outliersByChance(0, 0.95)).toEqual({ coverage: 0.95, probability: 1 - 0.95, expected: 0, lower: 0, upper: 0 });
  });

  it('rejects a coverage that is not a probability strictly inside (0, 1)', () => {
    expect(() => outliersByChance(10, 1)).toThrow(new StatsInputError('outliersByChance requires a coverage between 0 and 1'));
  });
});

describe('flaggedAtLeastOnce', () => {
  it('by hand: 10 indicators at 5 % each, 1 − 0.95¹⁰ = 1 − 0.5987369392383789; none judged, never flagged', () => {
    expect(flaggedAtLeastOnce(10, 0.05)).toBeCloseTo(0.4012630607616211, 14);
    expect(flaggedAtLeastOnce(0, 0.05)).toBe(0);
    expect(flaggedAtLeastOnce(3, 1)).toBe(1);
  });

  it('rejects a fractional count', () => {
    expect(() => flaggedAtLeastOnce(2.5, 0.05)).toThrow(new StatsInputError('flaggedAtLeastOnce requires a whole number of results of at least zero'));
  });
});
