import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { poissonCountInterval } from './poisson-count-interval';
import { rateInterval } from './rate-interval';

describe('rateInterval', () => {
  it('scales the count interval by multiplier / denominator', () => {
    const count = poissonCountInterval(25, 0.998);
    const rate = rateInterval(25, 5000, 1000, 0.998);
    expect(rate.estimate).toBeCloseTo(5, 14);
    expect(rate.lower).toBeCloseTo((count.lower * 1000) / 5000, 12);
    expect(rate.upper).toBeCloseTo((count.upper * 1000) / 5000, 12);
    expect(rate.method).toBe('byar');
  });

  it('gives 0 to −ln(α/2)/n × multiplier for no events (exact, closed form)', () => {
    const rate = rateInterval(0, 200);
    expect(rate).toMatchObject({ estimate: 0, lower: 0, method: 'exact' });
    expect(rate.upper).toBeCloseTo((-Math.log(0.025) / 200) * 100_000, 9);
  });

  it('rejects a zero denominator and negative counts', () => {
    expect(() => rateInterval(3, 0)).toThrow('rateInterval requires a denominator greater than zero');
    expect(() => rateInterval(-3, 10)).toThrow(StatsInputError);
  });
});
