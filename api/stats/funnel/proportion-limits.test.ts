import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { coverageZ } from './coverage';
import { proportionLimits } from './proportion-limits';

/** PHEindicatormethods 2.1.0's sigma_adjustment closed form, written out to show it is the normal approximation. */
function pheWilsonInverted(p: number, n: number, a: number, side: 'low' | 'high'): number {
  const q = p * p;
  const first = a * (n / q + 1);
  const adj = Math.sqrt((-8 * a * (n / q + 1)) ** 2 - 64 * (1 / q + 1 / n) * a * (n * (a * (n / q + 2) - 1) + q * (a - 1)));
  const last = 1 / q + 1 / n;
  return ((side === 'low' ? first - adj / 8 : first + adj / 8) / last) / n;
}

describe("proportionLimits 'wilson'", () => {
  it('reproduces PHE testdata_funnel_prop_outputs.csv at n = 3 about 80.642448 %: 35.933491 and 10.150815', () => {
    const target = 0.80642448;
    expect(proportionLimits(3, 0.95, target, 'wilson').lower * 100).toBeCloseTo(35.933491, 5);
    expect(proportionLimits(3, 0.998, target, 'wilson').lower * 100).toBeCloseTo(10.150815, 5);
    expect(proportionLimits(3, 0.95, target, 'wilson').upper).toBe(1);
  });

  it("equals PHE's closed form (clamped to [0, 1] as PHE clamps it), which reduces algebraically to θ ± z√(θ(1 − θ)/n)", () => {
    for (const n of [5, 120, 31000]) {
      for (const coverage of [0.95, 0.998]) {
        const limits = proportionLimits(n, coverage, 0.3, 'wilson');
        expect(limits.lower).toBeCloseTo(Math.max(0, pheWilsonInverted(coverageZ(coverage), n, 0.3, 'low')), 12);
        expect(limits.upper).toBeCloseTo(Math.min(1, pheWilsonInverted(coverageZ(coverage), n, 0.3, 'high')), 12);
      }
    }
  });
});

describe("proportionLimits 'exact'", () => {
  it('is the Clopper–Pearson interval of the expected count nθ: n = 100, θ = 0.2 gives qbeta(0.025, 20, 81) and qbeta(0.975, 21, 80)', () => {
    const limits = proportionLimits(100, 0.95, 0.2);
    expect(limits.lower).toBeCloseTo(0.12665555210195584, 12);
    expect(limits.upper).toBeCloseTo(0.2918426890886281, 12);
  });

  it('holds at 0 when θ = 0 and at 1 when θ = 1', () => {
    expect(proportionLimits(10, 0.95, 0)).toEqual({ lower: 0, upper: expect.closeTo(0.3084971078187607, 12) });
    expect(proportionLimits(10, 0.95, 1)).toEqual({ lower: expect.closeTo(0.6915028921812392, 12), upper: 1 });
  });

  it('rejects denominators of zero and targets outside [0, 1]', () => {
    expect(() => proportionLimits(0, 0.95, 0.5)).toThrow(new StatsInputError('proportionLimits requires a finite denominator greater than zero'));
    expect(() => proportionLimits(10, 0.95, 1.5)).toThrow(StatsInputError);
  });
});
