import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { normalCdf } from './normal-cdf';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('normalCdf', () => {
  // R 4.x: sprintf('%.16g', pnorm(x)). The lower tail must keep relative precision, which 1 − Φ(|x|) would lose.
  it.each([
    [1.96, 0.9750021048517795],
    [1, 0.8413447460685429],
    [-5, 2.866515718791939e-7],
    [-10, 7.619853024160527e-24],
  ])('pnorm(%f) matches R to 1e-14', (x, expected) => {
    expect(relativeError(normalCdf(x), expected)).toBeLessThan(1e-14);
  });

  it('is ½ at zero and symmetric', () => {
    expect(normalCdf(0)).toBe(0.5);
    expect(normalCdf(0.7) + normalCdf(-0.7)).toBeCloseTo(1, 15);
  });

  it('returns 0 and 1 at the infinities', () => {
    expect(normalCdf(-Infinity)).toBe(0);
    expect(normalCdf(Infinity)).toBe(1);
  });

  it('rejects NaN', () => {
    expect(() => normalCdf(Number.NaN)).toThrow(StatsInputError);
  });
});
