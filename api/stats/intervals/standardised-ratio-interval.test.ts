import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { exactPoissonInterval } from './exact-poisson-interval';
import { standardisedRatioInterval } from './standardised-ratio-interval';

describe('standardisedRatioInterval', () => {
  it('divides the count interval by E (Breslow & Day 1987, §2.3): O = 4, E = 2 gives SMR 200 (× 100)', () => {
    const count = exactPoissonInterval(4);
    const ratio = standardisedRatioInterval(4, 2, 100);
    expect(ratio).toMatchObject({ estimate: 200, method: 'exact' });
    expect(ratio.lower).toBeCloseTo(count.lower * 50, 12);
    expect(ratio.upper).toBeCloseTo(count.upper * 50, 12);
  });

  it('contains 1 exactly when the count interval contains E', () => {
    const { lower, upper } = standardisedRatioInterval(30, 30);
    expect(lower).toBeLessThan(1);
    expect(upper).toBeGreaterThan(1);
  });

  it('rejects a non-positive expected count', () => {
    expect(() => standardisedRatioInterval(3, 0)).toThrow('standardisedRatioInterval requires an expected count greater than zero');
    expect(() => standardisedRatioInterval(3, 1, 1, 1.5)).toThrow(StatsInputError);
  });
});
