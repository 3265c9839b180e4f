import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { normalCdf } from './normal-cdf';
import { normalQuantile } from './normal-quantile';

const relativeError = (actual: number, expected: number) => Math.abs(actual / expected - 1);

describe('normalQuantile', () => {
  // R 4.x: sprintf('%.16g', qnorm(p)). AS 241 is R's own algorithm, so agreement is to rounding.
  it.each([
    [0.975, 1.959963984540054],
    [0.999, 3.090232306167813],
    [0.995, 2.575829303548901],
    [0.9, 1.281551565544601],
    [1e-10, -6.361340902404056],
  ])('qnorm(%f) matches R to 1e-14', (p, expected) => {
    expect(relativeError(normalQuantile(p), expected)).toBeLessThan(1e-14);
  });

  it('is antisymmetric about ½ and 0 at ½', () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(relativeError(-normalQuantile(0.025), normalQuantile(0.975))).toBeLessThan(1e-15);
  });

  it('inverts normalCdf across all three AS 241 regions', () => {
    for (const p of [1e-300, 1e-12, 0.001, 0.1, 0.3, 0.7, 0.9, 0.999]) {
      expect(relativeError(normalCdf(normalQuantile(p)), p)).toBeLessThan(1e-13);
    }
  });

  it('returns ∓Infinity at 0 and 1', () => {
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('rejects probabilities outside [0, 1]', () => {
    expect(() => normalQuantile(1.5)).toThrow(StatsInputError);
    expect(() => normalQuantile(Number.NaN)).toThrow('normalQuantile requires a probability between 0 and 1');
  });
});
