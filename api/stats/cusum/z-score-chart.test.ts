import { describe, expect, it } from 'vitest';
import { zScoreChart } from './z-score-chart';

// Expected point types worked by hand from the Making Data Count rules (NHS England 2019) on fixed limits 0 ± 3, band ± 2.
describe('zScoreChart', () => {
  it('marks a z beyond ±3 as outside the limits and reads the icon from the latest scored period', () => {
    const chart = zScoreChart([0.1, 3.4, null, -0.2], { improvementDirection: 'decrease' });
    expect(chart.points.map((point) => point?.rule ?? null)).toEqual([null, 'outside_limits', null, null]);
    expect(chart.points[1]?.pointType).toBe('special_cause_concern');
    expect(chart.points[2]).toBeNull();
    expect(chart.variation).toBe('common_cause');
  });

  it('finds two of three beyond +2 and a run of 7 above 0 across a gap, as the scored periods join', () => {
    const chart = zScoreChart([2.3, 0.4, 2.6, 0.5, null, 0.7, 0.2, 0.9], { improvementDirection: 'increase' });
    expect(chart.points.map((point) => point?.rule ?? null)).toEqual(['two_of_three', 'run', 'two_of_three', 'run', null, 'run', 'run', 'run']);
    expect(chart.variation).toBe('special_cause_improvement_high');
  });

  it('has no icon when no period is scored', () => {
    expect(zScoreChart([null, null])).toEqual({ points: [null, null], variation: null });
  });
});
