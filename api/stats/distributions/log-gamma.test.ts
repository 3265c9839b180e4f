import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { logGamma } from './log-gamma';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('logGamma', () => {
  it('matches ln((n − 1)!) for integers', () => {
    let logFactorial = 0;
    for (let n = 2; n <= 170; n++) {
      logFactorial += Math.log(n - 1);
      if (n > 2) expect(relativeError(logGamma(n), logFactorial)).toBeLessThan(1e-14);
    }
  });

  it('is zero at 1 and 2 to 1e-15 absolute, where relative error is meaningless', () => {
    expect(Math.abs(logGamma(1))).toBeLessThan(1e-15);
    expect(Math.abs(logGamma(2))).toBeLessThan(1e-15);
  });

  it('matches ln √π at ½ and R lgamma(100) = 359.1342053695754', () => {
    expect(relativeError(logGamma(0.5), 0.5 * Math.log(Math.PI))).toBeLessThan(1e-14);
    expect(relativeError(logGamma(100), 359.1342053695754)).toBeLessThan(1e-15);
  });

  it('rejects non-positive arguments', () => {
    expect(() => logGamma(0)).toThrow(StatsInputError);
    expect(() => logGamma(-1)).toThrow('logGamma requires a finite argument greater than zero');
  });
});
