import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { funnelBand, intervalBand, poissonIntervalBand } from './funnel-band';

const limits = [
  { coverage: 0.95, lower: 0.9, upper: 1.1 },
  { coverage: 0.998, lower: 0.59, upper: 1.41 },
];

describe('funnelBand', () => {
  it('names the widest limit crossed, with inclusive limits (FunnelPlotR test-outliers_func.R values)', () => {
    expect([1, 1.1, 1.2, 1.41, 1.6, 0.9, 0.8, 0.59, 0.4].map((v) => funnelBand(v, limits))).toEqual([
      'within', 'within', 'above-95', 'above-95', 'above-99.8', 'within', 'below-95', 'below-95', 'below-99.8',
    ]);
  });

  it('labels other coverages by their percentage, whatever order the limits come in', () => {
    expect(funnelBand(2, [{ coverage: 0.99, lower: 0, upper: 1.5 }, { coverage: 0.9, lower: 0.5, upper: 1.2 }])).toBe('above-99');
  });

  it('rejects NaN and an empty set of limits', () => {
    expect(() => funnelBand(Number.NaN, limits)).toThrow(new StatsInputError('funnelBand requires a value that is a number'));
    expect(() => funnelBand(1, [])).toThrow(StatsInputError);
  });
});

describe('intervalBand', () => {
  it('is "above" when the target lies below the provider\'s interval, inclusive (PHE: 1 < lower is High)', () => {
    const intervals = [{ coverage: 0.95, lower: 1.2, upper: 2 }, { coverage: 0.998, lower: 1, upper: 2.5 }];
    expect(intervalBand(1, intervals)).toBe('above-95');
    expect(intervalBand(0.9, intervals)).toBe('above-99.8');
    expect(intervalBand(2.2, intervals)).toBe('below-95');
  });
});

describe('poissonIntervalBand (PHEindicatormethods significance)', () => {
  it("O = 20, E = 10: Byar's lower limits 12.21 (95 %) and 8.92 (99.8 %) put 1 above-95 only (hand-computed)", () => {
    expect(poissonIntervalBand(20, 10, 1)).toBe('above-95');
  });

  it('uses the exact interval below 10 events: O = 0 is low against 1 once E exceeds −ln(0.001) = 6.91', () => {
    expect(poissonIntervalBand(0, 7, 1)).toBe('below-99.8');
    expect(poissonIntervalBand(0, 3, 1)).toBe('within');
  });
});
