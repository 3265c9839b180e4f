import { describe, expect, it } from 'vitest';
import { opportunity } from './opportunity-sizing';

const identity = (y: number) => y;
const z975 = 1.959963984540054;

describe('opportunity', () => {
  it('counts excess events from raw counts when nothing is uncertain: Σ max(0, x − n·B)', () => {
    const counts = [
      { id: 'A', x: 30, n: 100 },
      { id: 'B', x: 50, n: 200 },
      { id: 'C', x: 10, n: 100 },
    ];
    const providers = counts.map((c) => ({ id: c.id, size: c.n, mean: c.x / c.n, sd: 0 }));
    const deaths = opportunity({ providers, toNatural: identity, benchmark: 0.2, polarity: 'lower-is-better' });
    // Excess deaths at 20 %: A 30 − 20 = 10, B 50 − 40 = 10, C 10 − 20 = −10 → none.
    expect(deaths.providers.map((p) => [p.id, ...[p.gap, p.opportunity, p.lower, p.upper].map((v) => Number(v.toFixed(9)))])).toEqual([
      ['A', 10, 10, 10, 10],
      ['B', 10, 10, 10, 10],
      ['C', -10, 0, 0, 0],
    ]);
    expect(Object.values(deaths.total).map((v) => Number(v.toFixed(9)))).toEqual([20, 20, 20]);
    // Where higher is better (treated within 62 days), only C falls short: 20 − 10 = 10 more patients.
    const treated = opportunity({ providers, toNatural: identity, benchmark: 0.2, polarity: 'higher-is-better' });
    expect(treated.providers.map((p) => Number(p.opportunity.toFixed(9)))).toEqual([0, 0, 10]);
    expect(treated.total.opportunity).toBeCloseTo(10, 9);
  });

  it("gives one provider's interval as its posterior's quantiles carried through the back-transform", () => {
    // Arcsine scale: p = sin²(y). Posterior y ~ N(asin(√0.3), 0.02²) for 400 patients against 20 %.
    const mean = Math.asin(Math.sqrt(0.3));
    const sd = 0.02;
    const result = opportunity({ providers: [{ id: 'A', size: 400, mean, sd }], toNatural: (y) => Math.sin(y) ** 2, benchmark: 0.2, polarity: 'lower-is-better', draws: 40000 });
    const at = (y: number) => 400 * (Math.sin(y) ** 2 - 0.2);
    expect(result.providers[0].opportunity).toBeCloseTo(40, 10);
    expect(result.providers[0].lower / at(mean - z975 * sd)).toBeCloseTo(1, 1);
    expect(result.providers[0].upper / at(mean + z975 * sd)).toBeCloseTo(1, 1);
    expect(Math.abs(result.providers[0].lower - at(mean - z975 * sd))).toBeLessThan(0.5);
    expect(Math.abs(result.providers[0].upper - at(mean + z975 * sd))).toBeLessThan(0.5);
  });

  it("gives the total's interval as that of a sum, narrower than the sum of the intervals", () => {
    // Far worse than the benchmark, so no draw is truncated: the total is normal with mean Σ n(m − B) and variance Σ n²sd².
    const providers = [
      { id: 'A', size: 100, mean: 0.5, sd: 0.05 },
      { id: 'B', size: 300, mean: 0.45, sd: 0.03 },
      { id: 'C', size: 50, mean: 0.6, sd: 0.08 },
    ];
    const result = opportunity({ providers, toNatural: identity, benchmark: 0.1, polarity: 'lower-is-better', draws: 40000 });
    const centre = providers.reduce((s, p) => s + p.size * (p.mean - 0.1), 0);
    const spread = Math.sqrt(providers.reduce((s, p) => s + (p.size * p.sd) ** 2, 0));
    expect(result.total.opportunity).toBeCloseTo(centre, 10);
    expect(Math.abs(result.total.lower - (centre - z975 * spread))).toBeLessThan(0.02 * spread * z975);
    expect(Math.abs(result.total.upper - (centre + z975 * spread))).toBeLessThan(0.02 * spread * z975);
    const summed = result.providers.reduce((s, p) => s + (p.upper - p.lower), 0);
    expect(result.total.upper - result.total.lower).toBeLessThan(summed);
  });

  it('is reproducible, and refuses a bad benchmark or sd', () => {
    const providers = [{ id: 'A', size: 10, mean: 0.3, sd: 0.1 }];
    const once = opportunity({ providers, toNatural: identity, benchmark: 0.2, polarity: 'lower-is-better' });
    expect(opportunity({ providers, toNatural: identity, benchmark: 0.2, polarity: 'lower-is-better' })).toEqual(once);
    expect(() => opportunity({ providers, toNatural: identity, benchmark: Number.NaN, polarity: 'lower-is-better' })).toThrow(/opportunity requires a finite benchmark/);
    expect(() => opportunity({ providers: [{ ...providers[0], sd: -1 }], toNatural: identity, benchmark: 0.2, polarity: 'lower-is-better' })).toThrow(/opportunity requires/);
  });
});
