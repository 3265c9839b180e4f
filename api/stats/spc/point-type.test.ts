import { describe, expect, it } from 'vitest';
import { classifySignal } from './point-type';

// Expected strings are NHSRplotthedots 0.2.2 point_type values (oracles designed_rules_{increase,decrease,neutral}_*).
describe('classifySignal', () => {
  it.each([
    ['high', 'increase', 'improvement', 'special_cause_improvement'],
    ['low', 'increase', 'concern', 'special_cause_concern'],
    ['high', 'decrease', 'concern', 'special_cause_concern'],
    ['low', 'decrease', 'improvement', 'special_cause_improvement'],
    ['high', 'neutral', 'neutral', 'special_cause_neutral_high'],
    ['low', 'neutral', 'neutral', 'special_cause_neutral_low'],
  ] as const)('a %s signal with %s as improvement is %s (%s)', (direction, improvement, specialCause, pointType) => {
    expect(classifySignal(direction, improvement)).toEqual({ specialCause, pointType });
  });

  it('is common cause without a signal, whatever the direction', () => {
    expect(classifySignal(null, 'decrease')).toEqual({ specialCause: null, pointType: 'common_cause' });
  });
});
