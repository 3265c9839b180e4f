import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { poissonCountLimits } from './poisson-count-limits';

describe("poissonCountLimits 'chi-squared' (Spiegelhalter 2005; FunnelPlotR, NHS Digital SHMI)", () => {
  it('matches FunnelPlotR test-poisson_limits.R at E = 15, 20, 30 (ratio = count / E)', () => {
    const expected = {
      15: [0.5596924, 1.649348, 0.386265, 2.082907],
      20: [0.610826, 1.544419, 0.4479107, 1.902094],
      30: [0.6746958, 1.427562, 0.5289724, 1.702771],
    };
    for (const [e, [l95, u95, l998, u998]] of Object.entries(expected)) {
      const E = Number(e);
      const [a, b] = [poissonCountLimits(E, 0.95), poissonCountLimits(E, 0.998)];
      expect(a.lower / E).toBeCloseTo(l95, 6);
      expect(a.upper / E).toBeCloseTo(u95, 6);
      expect(b.lower / E).toBeCloseTo(l998, 6);
      expect(b.upper / E).toBeCloseTo(u998, 6);
    }
  });
});

describe("poissonCountLimits 'exact-test' (PHEindicatormethods 2.1.0, Fingertips)", () => {
  it('the lower limit reaches 0 at μ = −ln(α/2): beyond it, observing 0 is significantly low', () => {
    expect(poissonCountLimits(-Math.log(0.025), 0.95, 'exact-test').lower).toBeCloseTo(0, 9);
    expect(poissonCountLimits(2, 0.95, 'exact-test').lower).toBe(0);
  });

  it('the upper limit is 1 at μ = −ln(1 − α/2), where P(X ≥ 1) = α/2', () => {
    expect(poissonCountLimits(-Math.log(0.975), 0.95, 'exact-test').upper).toBeCloseTo(1, 12);
  });

  it('passes through O where μ is the exact confidence limit of O: μ = 5.571644585 for O = 1 (PHE ratio table, 10 figures)', () => {
    expect(poissonCountLimits(5.571644585, 0.95, 'exact-test').lower).toBeCloseTo(1, 5);
  });

  it('is wider than the normal approximation at small μ and close to the χ² form at large μ', () => {
    const exact = poissonCountLimits(1000, 0.998, 'exact-test');
    const chi = poissonCountLimits(1000, 0.998);
    expect(Math.abs(exact.lower - chi.lower)).toBeLessThan(2);
    expect(Math.abs(exact.upper - chi.upper)).toBeLessThan(2);
  });

  it('rejects a zero expected count and coverages outside (0, 1)', () => {
    expect(() => poissonCountLimits(0, 0.95)).toThrow(new StatsInputError('poissonCountLimits requires a finite expected count greater than zero'));
    expect(() => poissonCountLimits(5, 95)).toThrow(new StatsInputError('poissonCountLimits requires a coverage between 0 and 1'));
  });
});
