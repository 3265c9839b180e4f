import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { gammaQuantile } from './gamma-quantile';
import { regularizedGammaP } from './regularized-gamma';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('gammaQuantile', () => {
  it('equals −scale·ln(1 − p) for shape 1 (the exponential distribution)', () => {
    for (const p of [1e-12, 0.2, 0.9]) {
      expect(relativeError(gammaQuantile(p, 1, 3), -3 * Math.log1p(-p))).toBeLessThan(1e-14);
    }
  });

  it('follows x^a/Γ(a + 1) in the lower tail of a small shape (the power-law start)', () => {
    // P(a, x) = x^a/Γ(a + 1)·(1 − a·x/(a + 1) + …) as x → 0. Γ(1.05) = 0.9735042656 is Abramowitz &
    // Stegun Table 6.1 (10 d.p.); the 20th power magnifies its rounding to about 1e-9.
    const p = 1e-5;
    const x = gammaQuantile(p, 0.05);
    expect(relativeError(x, (p * 0.9735042656) ** 20)).toBeLessThan(2e-9);
    expect(relativeError(regularizedGammaP(0.05, x), p)).toBeLessThan(1e-14);
  });

  it('underflows to 0 where the quantile is below the smallest double, as R does', () => {
    expect(gammaQuantile(1e-20, 0.05)).toBe(0);
  });

  it('rejects a non-positive shape or scale', () => {
    expect(() => gammaQuantile(0.5, 0)).toThrow(StatsInputError);
    expect(() => gammaQuantile(0.5, 1, -1)).toThrow('gammaQuantile requires a finite scale greater than zero');
  });
});
