import { describe, expect, it } from 'vitest';
import { twoSidedPValue } from './two-sided-p-value';

describe('twoSidedPValue', () => {
  it('the normal quantiles of the funnel limits (R: qnorm(0.975), qnorm(0.999)) give 0.05 and 0.002, either sign', () => {
    expect(twoSidedPValue(1.959963984540054)).toBeCloseTo(0.05, 12);
    expect(twoSidedPValue(-3.090232306167813)).toBeCloseTo(0.002, 12);
    expect(twoSidedPValue(0)).toBe(1);
  });
});
