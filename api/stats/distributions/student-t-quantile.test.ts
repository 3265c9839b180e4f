import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { studentTQuantile } from './student-t-quantile';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('studentTQuantile', () => {
  // R 4.x: sprintf('%.16g', qt(p, df)).
  it.each([
    [0.975, 10, 2.228138851986274],
    [0.975, 30, 2.042272456301238],
  ])('qt(%f, %f) matches R to 1e-14', (p, df, expected) => {
    expect(relativeError(studentTQuantile(p, df), expected)).toBeLessThan(1e-14);
  });

  it('matches the closed forms on 1 df (Cauchy) and 2 df', () => {
    for (const p of [0.0005, 0.3, 0.5000001, 0.975]) {
      expect(relativeError(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)))).toBeLessThan(1e-12);
      expect(relativeError(studentTQuantile(p, 2), (2 * p - 1) / Math.sqrt(2 * p * (1 - p)))).toBeLessThan(1e-12);
    }
  });

  it('is 0 at ½, antisymmetric, and ∓Infinity at 0 and 1', () => {
    expect(studentTQuantile(0.5, 7)).toBe(0);
    expect(studentTQuantile(0.1, 7)).toBe(-studentTQuantile(0.9, 7));
    expect(studentTQuantile(0, 7)).toBe(-Infinity);
    expect(studentTQuantile(1, 7)).toBe(Infinity);
  });

  it('rejects non-positive df', () => {
    expect(() => studentTQuantile(0.9, 0)).toThrow('studentTQuantile requires finite degrees of freedom greater than zero');
    expect(() => studentTQuantile(Number.NaN, 3)).toThrow(StatsInputError);
  });
});
