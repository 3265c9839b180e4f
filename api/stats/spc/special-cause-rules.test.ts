import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { specialCauseRules, type RulePoint } from './special-cause-rules';

/** Points around centre 0 with sigma 1: limits ±3, two-sigma band edges ±2. */
function around(values: number[], segments?: number[]): RulePoint[] {
  return values.map((value, i) => ({
    value,
    segment: segments?.[i] ?? 0,
    centre: 0,
    lowerLimit: -3,
    upperLimit: 3,
    lowerTwoSigma: -2,
    upperTwoSigma: 2,
  }));
}

const rules = (points: RulePoint[], options = {}) => specialCauseRules(points, options).map((result) => result.rule);
const met = (points: RulePoint[], rule: string) =>
  specialCauseRules(points).map((result) => (result.rulesMet.includes(rule as never) ? 1 : 0));

describe('specialCauseRules', () => {
  it('flags a point beyond either limit, but not one on a limit', () => {
    expect(rules(around([3.1, 3, -3, -3.1]))).toEqual(['outside_limits', null, null, 'outside_limits']);
  });

  // Trend cases are NHSRplotthedots' tests/testthat/test-ptd_calculate_point_type.R (key_cases.json
  // ptd_rule_unit_vectors). Upstream marks the point completing seven; every point of the trend is flagged.
  it.each([
    ['1:7', [1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 1, 1, 1, 1]],
    ['c(1:3, 3:6): a tie breaks the trend', [1, 2, 3, 3, 4, 5, 6], [0, 0, 0, 0, 0, 0, 0]],
    ['7:1', [7, 6, 5, 4, 3, 2, 1], [1, 1, 1, 1, 1, 1, 1]],
    ['c(2, 1:7, 3)', [2, 1, 2, 3, 4, 5, 6, 7, 3], [0, 1, 1, 1, 1, 1, 1, 1, 0]],
  ])('trend %s', (_, values, expected) => {
    // Values scaled into the band below the limits, so only the trend rule can fire.
    expect(met(around(values.map((v) => v / 4)), 'trend')).toEqual(expected);
  });

  it('needs seven points for a trend by default: six rising points are common cause', () => {
    // The oracles never hold an isolated six-point trend, so this is the only guard on the default.
    expect(rules(around([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))).toEqual(Array(6).fill(null));
  });

  it('flags every point of a trend longer than its window: the first window marks them all, each later point itself', () => {
    const rising = Array.from({ length: 30 }, (_, i) => i / 20);
    expect(met(around(rising), 'trend')).toEqual(Array(30).fill(1));
    expect(specialCauseRules(around(rising), { trendLength: 30 }).every((result) => result.rulesMet.includes('trend'))).toBe(true);
    expect(specialCauseRules(around(rising), { trendLength: 31 }).some((result) => result.rulesMet.includes('trend'))).toBe(false);
  });

  it('labels a peak shared by a rise and a fall with the later trend, like NHSRplotthedots', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 6, 5, 4, 3, 2, 1].map((v) => v / 4 - 1);
    const directions = specialCauseRules(around(values)).map((result) => result.direction);
    expect(directions[5]).toBe('high');
    expect(directions[6]).toBe('low');
    expect(directions[7]).toBe('low');
  });

  it('flags every point of a run of seven on one side; a point on the centre breaks it (ptd_seven_point_one_side_mean)', () => {
    expect(met(around([1, 1, 1, 1, 1, 1, 1, 1, -1]), 'run')).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 0]);
    expect(met(around([1, 1, 1, 1, 1, 1, -1]), 'run')).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(met(around([1, 1, 1, 0, 1, 1, 1, 1]), 'run')).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('flags only the band points of two in three on one side (ptd_two_in_three, close = c(0,0,1,0,1,0,0))', () => {
    expect(met(around([1, 1, 2.5, 1, 2.5, 1, 1]), 'two_of_three')).toEqual([0, 0, 1, 0, 1, 0, 0]);
  });

  it('does not flag two band points whose window crosses the centre (close = c(1,0,1), side = c(1,-1,1))', () => {
    expect(met(around([2.5, -1, 2.5]), 'two_of_three')).toEqual([0, 0, 0]);
    expect(met(around([2.5, -2.5]), 'two_of_three')).toEqual([0, 0]);
  });

  it('counts points beyond the limits towards two of three only with the November 2023 option', () => {
    const points = around([2.5, 3.5, 1]);
    expect(rules(points)).toEqual([null, 'outside_limits', null]);
    expect(rules(points, { twoOfThreeCountsBeyondLimits: true })).toEqual(['two_of_three', 'outside_limits', null]);
  });

  it('reports the highest-precedence rule: outside, trend, two of three, run', () => {
    // Seven rising points above the centre, the last two in the band and the last beyond the limit.
    const results = specialCauseRules(around([0.2, 0.4, 0.6, 0.8, 1, 2.1, 3.2]));
    expect(results[6].rulesMet).toEqual(['outside_limits', 'trend', 'run']);
    expect(results.map((result) => result.rule)).toEqual([...Array(6).fill('trend'), 'outside_limits']);
  });

  it('does not let a trend or run cross a rebase', () => {
    const segments = [0, 0, 0, 0, 1, 1, 1, 1];
    expect(rules(around([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], segments))).toEqual(Array(8).fill(null));
  });

  it('classifies signals by improvement direction, neutral by default', () => {
    const points = around([3.5, -3.5]);
    expect(specialCauseRules(points).map((r) => r.pointType)).toEqual(['special_cause_neutral_high', 'special_cause_neutral_low']);
    expect(specialCauseRules(points, { improvementDirection: 'decrease' }).map((r) => r.specialCause)).toEqual(['concern', 'improvement']);
  });

  it('with limits collapsed onto the centre, flags only values off the centre', () => {
    const flat: RulePoint[] = [5, 5, 5, 6].map((value) => ({
      value, segment: 0, centre: 5, lowerLimit: 5, upperLimit: 5, lowerTwoSigma: 5, upperTwoSigma: 5,
    }));
    expect(rules(flat)).toEqual([null, null, null, 'outside_limits']);
  });

  it('applies no limit rule to points with null limits, and nothing to series shorter than a rule needs', () => {
    const noLimits: RulePoint[] = [{ value: 9, segment: 0, centre: 9, lowerLimit: null, upperLimit: null, lowerTwoSigma: null, upperTwoSigma: null }];
    expect(rules(noLimits)).toEqual([null]);
    expect(rules(around([1, 1, 1, 1, 1, 1]))).toEqual(Array(6).fill(null));
    expect(specialCauseRules([])).toEqual([]);
  });

  it('takes trend and run lengths as parameters (some rule sets use six)', () => {
    expect(rules(around([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]), { trendLength: 6 })).toEqual(Array(6).fill('trend'));
    expect(rules(around([1, 1, 1]), { runLength: 3 })).toEqual(Array(3).fill('run'));
    expect(() => specialCauseRules(around([1]), { runLength: 1 })).toThrow(
      new StatsInputError('specialCauseRules requires a run length that is an integer of at least 2'),
    );
  });
});
