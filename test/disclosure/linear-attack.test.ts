import { describe, expect, it } from 'vitest';
import { EquationBook } from './equation-book';
import { determinedRate, RowSpace, scoreCell, wholeNumberCandidates, type TargetCell } from './linear-attack';

const kind = { proportion: false, integerDenominator: true };

/** A period with three providers, one suppressed (2 of 400) and two published. */
function book() {
  const equations = new EquationBook();
  equations.publish('I', 'A', 'P', 30, 1000);
  equations.publish('I', 'B', 'P', 12, 600);
  const cell = equations.suppress('I', 'C', 'P', kind, 500);
  const group = ['A', 'B', 'C'].map((organisation) => ({ indicator: 'I', period: 'P', organisation }));
  return { equations, cell, group };
}

const spaceOf = (equations: EquationBook) => {
  const space = new RowSpace(equations.scales);
  for (const equation of equations.equations) space.add(equation);
  return space;
};
const truth = { count: 2, denominator: 400 };
const priors = (cell: TargetCell) => new Map([[cell.count, [1, 4] as const]]);

describe('the attacker\'s algebra', () => {
  it('recovers a suppressed count exactly from pooled sums minus the published members', () => {
    const { equations, cell, group } = book();
    equations.sums('pooled', group, { count: 44, denominator: 2000 });
    expect(scoreCell(spaceOf(equations), cell, truth, 5, priors(cell))).toBe('exact');
  });

  it('recovers the count from two ratios (a pooled value and a one-point SPC centre) and whole-number denominators', () => {
    const { equations, cell, group } = book();
    equations.ratio('centre', [group[2]], 2 / 400);
    const space = spaceOf(equations);
    expect(determinedRate(space, cell)).toBeCloseTo(0.005, 12);
    // 1/0.005 = 200, 2/0.005 = 400, … every count gives a whole denominator: the rate alone is all it has.
    expect(wholeNumberCandidates(0.005, false, 5)).toEqual([1, 2, 3, 4]);
    expect(scoreCell(space, cell, truth, 5, priors(cell))).toBe('rate');
    equations.ratio('pooled', group, 44 / 2000);
    expect(scoreCell(spaceOf(equations), cell, truth, 5, priors(cell))).toBe('exact');
  });

  it('bounds two suppressed counts whose sum is small more tightly than the prior', () => {
    const equations = new EquationBook();
    const first = equations.suppress('I', 'C', 'P', kind, 500);
    equations.suppress('I', 'D', 'P', kind, 500);
    equations.sums('pooled', ['C', 'D'].map((organisation) => ({ indicator: 'I', period: 'P', organisation })), { count: 3 });
    const both = new Map([...priors(first), [`I|D|P|count`, [1, 4] as const]]);
    expect(scoreCell(spaceOf(equations), first, { count: 1, denominator: 300 }, 5, both)).toBe('within-threshold');
  });

  it('learns nothing from a statistic that leaves the suppressed member out', () => {
    const { equations, cell, group } = book();
    equations.ratio('pooled', group, 42 / 1600);
    equations.sums('pooled', group, { count: 42, denominator: 1600, providers: 2 });
    expect(equations.equations).toHaveLength(0);
    expect(scoreCell(spaceOf(equations), cell, truth, 5, priors(cell))).toBe('none');
  });

  it('drops an equation that contradicts the others instead of solving for nonsense', () => {
    const space = new RowSpace();
    space.add({ channel: 'a', terms: new Map([['x', 1]]), constant: 2 });
    space.add({ channel: 'b', terms: new Map([['x', 2]]), constant: 5 });
    expect(space.rank).toBe(1);
    expect(space.inconsistent).toBe(1);
    expect(space.reduce(new Map([['x', 1]])).value).toBe(2);
  });

  it('scores a proportion suppressed by its complement on the complement', () => {
    const equations = new EquationBook();
    const cell = equations.suppress('I', 'C', 'P', { proportion: true, integerDenominator: true }, 100);
    equations.disclosed('leak', { indicator: 'I', organisation: 'C', period: 'P' }, { count: 97, denominator: 100 });
    expect(scoreCell(spaceOf(equations), cell, { count: 97, denominator: 100 }, 5, new Map())).toBe('exact');
  });
});
