import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { coverageLabel, coverageZ } from './coverage';

describe('coverageZ', () => {
  it('gives the two-sided normal quantiles of methods.md (R: -qnorm(0.025), -qnorm(0.001))', () => {
    expect(coverageZ(0.95)).toBeCloseTo(1.9599639845400545, 14);
    expect(coverageZ(0.998)).toBeCloseTo(3.090232306167813, 14);
  });

  it('rejects coverages outside (0, 1)', () => {
    expect(() => coverageZ(1)).toThrow(new StatsInputError('coverageZ requires a coverage between 0 and 1'));
  });
});

describe('coverageLabel', () => {
  it('writes the percentage without floating-point noise: the band names depend on it', () => {
    expect([0.95, 0.998, 0.9, 0.999].map(coverageLabel)).toEqual(['95', '99.8', '90', '99.9']);
  });
});
