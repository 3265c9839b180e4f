import { describe, expect, it } from 'vitest';
import { funnelChance, funnelQValues } from './funnel-chance';

describe('funnelChance', () => {
  it('counts judged results beyond each limit (99.8 % ones count at 95 % too) beside Binomial(n, 0.05) and (n, 0.002); suppressed are not judged', () => {
    const providers = [
      ...Array.from({ length: 34 }, () => ({ band: 'within' })),
      { band: 'above-95' }, { band: 'below-95' }, { band: 'below-99.8' }, { band: 'above-99.8' }, { band: null }, { band: null },
    ];
    const chance = funnelChance(providers);
    expect(chance.judged).toBe(38);
    // 38 × 0.05 = 1.9 expected beyond 95 %, qbinom 0 to 5; 38 × 0.002 = 0.076 beyond 99.8 %, 0 to 1 (binomial-quantiles.csv).
    expect(chance.limits.map(({ coverage, observed, lower, upper }) => ({ coverage, observed, lower, upper }))).toEqual([
      { coverage: 0.95, observed: 4, lower: 0, upper: 5 },
      { coverage: 0.998, observed: 2, lower: 0, upper: 1 },
    ]);
    expect(chance.limits[0].expected).toBeCloseTo(1.9, 12);
    expect(chance.limits[1].expected).toBeCloseTo(0.076, 12);
  });
});

describe('funnelQValues', () => {
  it('BH over the judged providers only: z = ±1.959964, 0 give p = 0.05, 0.05, 1 and q = 0.075, 0.075, 1; suppressed stay null', () => {
    // m = 3: ranked p (0.05, 0.05, 1) give 3·0.05/1, 3·0.05/2, 3·1/3 → running minimum 0.075, 0.075, 1.
    const q = funnelQValues([1.959963984540054, null, -1.959963984540054, 0]);
    expect(q[1]).toBeNull();
    [0.075, 0.075, 1].forEach((expected, i) => expect(q[[0, 2, 3][i]]).toBeCloseTo(expected, 9));
  });
});
