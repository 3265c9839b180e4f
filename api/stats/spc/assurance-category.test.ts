import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { assuranceCategory } from './assurance-category';

const limits = { lowerLimit: 10, upperLimit: 20 };

describe('assuranceCategory', () => {
  it.each([
    [25, 'increase', 'consistent_fail'],
    [25, 'decrease', 'consistent_pass'],
    [5, 'increase', 'consistent_pass'],
    [5, 'decrease', 'consistent_fail'],
    [15, 'increase', 'inconsistent'],
  ] as const)('target %d with %s as improvement is %s (ptd_calculate_assurance_type)', (target, improvementDirection, expected) => {
    expect(assuranceCategory({ target, improvementDirection, ...limits })).toBe(expected);
  });

  it('treats a target exactly on a limit as hit and miss: the process can still reach it', () => {
    expect(assuranceCategory({ target: 20, improvementDirection: 'increase', ...limits })).toBe('inconsistent');
  });

  it('has no assurance for a neutral measure or unknown limits', () => {
    expect(assuranceCategory({ target: 25, improvementDirection: 'neutral', ...limits })).toBeNull();
    expect(assuranceCategory({ target: 25, improvementDirection: 'increase', lowerLimit: null, upperLimit: null })).toBeNull();
  });

  it('rejects a target that is not a finite number', () => {
    expect(() => assuranceCategory({ target: Number.NaN, improvementDirection: 'increase', ...limits })).toThrow(
      new StatsInputError('assuranceCategory requires a finite target'),
    );
  });
});
