import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { variationCategory } from './variation-category';

describe('variationCategory', () => {
  it('reads the last point only: earlier signals do not set the icon (MDC; NHSRplotthedots geom_ptd_icon)', () => {
    expect(
      variationCategory([
        { specialCause: 'concern', direction: 'high' },
        { specialCause: null, direction: null },
      ]),
    ).toBe('common_cause');
  });

  it.each([
    ['improvement', 'high', 'special_cause_improvement_high'],
    ['improvement', 'low', 'special_cause_improvement_low'],
    ['concern', 'high', 'special_cause_concern_high'],
    ['concern', 'low', 'special_cause_concern_low'],
    ['neutral', 'low', 'special_cause_neutral_low'],
  ] as const)('a last point of %s, %s, is %s', (specialCause, direction, category) => {
    expect(variationCategory([{ specialCause, direction }])).toBe(category);
  });

  it('requires a point', () => {
    expect(() => variationCategory([])).toThrow(new StatsInputError('variationCategory requires at least one point'));
  });
});
