import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { additiveOverdispersion, multiplicativeOverdispersion } from './overdispersion';

describe('multiplicativeOverdispersion', () => {
  it('φ = (1/n)Σz² with the χ² p-value of nφ on n − 1 df: z = 1, −2, 3 gives φ = 14/3 and P(χ²₂ ≥ 14) = e⁻⁷', () => {
    const result = multiplicativeOverdispersion([1, -2, 3]);
    expect(result.phi).toBeCloseTo(14 / 3, 15);
    expect(result.pValue).toBeCloseTo(Math.exp(-7), 16);
    expect(result).toMatchObject({ method: 'multiplicative', n: 3 });
  });

  it('all providers identical: φ = 0 and p-value 1 (no adjustment)', () => {
    expect(multiplicativeOverdispersion([0, 0, 0, 0])).toMatchObject({ phi: 0, pValue: 1 });
  });

  it('one provider has no degrees of freedom: p-value 1', () => {
    expect(multiplicativeOverdispersion([2.5])).toMatchObject({ phi: 6.25, pValue: 1, n: 1 });
  });

  it('rejects empty and non-finite z-scores', () => {
    expect(() => multiplicativeOverdispersion([])).toThrow(new StatsInputError('multiplicativeOverdispersion requires at least one z-score'));
    expect(() => multiplicativeOverdispersion([Infinity])).toThrow(StatsInputError);
  });
});

describe('additiveOverdispersion (DerSimonian & Laird 1986)', () => {
  it('τ² = (nφ − (n − 1))/(Σw − Σw²/Σw): z = 1, −2, 3 with s = 0.1, 0.2, 0.5 gives 12/46.5116… = 0.258', () => {
    const result = additiveOverdispersion([1, -2, 3], [0.1, 0.2, 0.5]);
    expect(result.tau2).toBeCloseTo(0.258, 14);
    expect(result.phi).toBeCloseTo(14 / 3, 15);
    expect(result.method).toBe('additive');
  });

  it('is 0 when nφ ≤ n − 1 (underdispersed), and for one provider', () => {
    expect(additiveOverdispersion([0.1, -0.1, 0.2], [0.1, 0.1, 0.1]).tau2).toBe(0);
    expect(additiveOverdispersion([4], [0.1]).tau2).toBe(0);
  });

  it('needs one positive standard error per z-score', () => {
    expect(() => additiveOverdispersion([1, 2], [0.1])).toThrow(new StatsInputError('additiveOverdispersion requires one standard error for each z-score'));
    expect(() => additiveOverdispersion([1], [0])).toThrow(StatsInputError);
  });
});
