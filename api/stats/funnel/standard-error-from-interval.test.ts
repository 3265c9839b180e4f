import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { logStandardErrorFromInterval, standardErrorFromInterval } from './standard-error-from-interval';

describe('standardErrorFromInterval', () => {
  it('(upper − lower)/(2z): a 95 % interval 10 ± 1.959964 × 2 gives 2; 99 % uses z = 2.575829', () => {
    expect(standardErrorFromInterval(10 - 1.959963984540054 * 2, 10 + 1.959963984540054 * 2)).toBeCloseTo(2, 14);
    expect(standardErrorFromInterval(0, 2 * 2.5758293035489, 0.99)).toBeCloseTo(1, 12);
  });

  it("the log form: a Dobson-style interval 480–521 about a DSR of 500 gives s of ln(DSR) = ln(521/480)/(2 × 1.959964)", () => {
    expect(logStandardErrorFromInterval(480, 521)).toBeCloseTo(Math.log(521 / 480) / (2 * 1.959963984540054), 14);
  });

  it('rejects empty or reversed intervals, non-positive log limits and coverages outside (0, 1)', () => {
    expect(() => standardErrorFromInterval(5, 5)).toThrow(new StatsInputError('standardErrorFromInterval requires finite limits with the upper greater than the lower'));
    expect(() => standardErrorFromInterval(1, 2, 95)).toThrow(new StatsInputError('standardErrorFromInterval requires a coverage between 0 and 1'));
    expect(() => logStandardErrorFromInterval(0, 2)).toThrow(new StatsInputError('logStandardErrorFromInterval requires finite limits with 0 < lower < upper'));
  });
});
