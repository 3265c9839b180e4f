import { describe, expect, expectTypeOf, it } from 'vitest';
import { StatsInputError } from '../errors';
import { coverageZ } from './coverage';
import { funnelAnalysis } from './funnel-analysis';
import type { NormalFunnelAnalysisInput, NormalFunnelProviderInput } from './normal-funnel-options';
import { logStandardErrorFromInterval } from './standard-error-from-interval';

const z95 = coverageZ(0.95);
const z998 = coverageZ(0.998);

// Five providers for hand computation (Spiegelhalter 2005, Stat Med 24:1185, §2):
// w = 1/s² = [1, 1, 1, 1, 4], Σw = 8, Σwy = 8 + 12 + 9 + 11 + 40 = 80, so θ = 10;
// z = (y − θ)/s = [−2, 2, −1, 1, 0]; precision 1/s² = [1, 1, 1, 1, 4].
const five: NormalFunnelProviderInput[] = [
  { id: 'a', value: 8, standardError: 1 },
  { id: 'b', value: 12, standardError: 1 },
  { id: 'c', value: 9, standardError: 1 },
  { id: 'd', value: 11, standardError: 1 },
  { id: 'e', value: 10, standardError: 0.5 },
];
const normal = (providers: readonly NormalFunnelProviderInput[], options: Omit<NormalFunnelAnalysisInput, 'measure' | 'providers'> = {}) =>
  funnelAnalysis({ measure: 'normal', providers, ...options });

describe("funnelAnalysis, measure 'normal' (Spiegelhalter 2005 §2)", () => {
  it('five providers by hand: θ the inverse-variance mean, z, precision; untrimmed φ = 2, p = 6e⁻⁵, τ² = 12/11', () => {
    const result = normal(five, { trimFraction: 0, adjustment: 'additive' });
    expect([result.target, result.targetTransformed, result.targetMethod]).toEqual([10, 10, 'inverse-variance-weighted-mean']);
    expect(result.providers.map((p) => p.z)).toEqual([-2, 2, -1, 1, 0]);
    expect(result.providers.map((p) => p.precision)).toEqual([1, 1, 1, 1, 4]);
    // φ = (4 + 4 + 1 + 1 + 0)/5 = 2; P(χ²₄ ≥ nφ = 10) = e⁻⁵(1 + 5); τ² = (nφ − (n − 1))/(Σw − Σw²/Σw) = 6/(8 − 20/8).
    expect(result.overdispersion.phi).toBeCloseTo(2, 14);
    expect(result.overdispersion.pValue).toBeCloseTo(6 * Math.exp(-5), 14);
    expect(result.overdispersion.tau2).toBeCloseTo(12 / 11, 14);
  });

  it('a target moves the centre line only: φ = 2 and τ² = 12/11 stay those around θ = 10; z and limits are taken around the target', () => {
    // Around a target of 13 the z would be [−5, −1, −4, −2, −6] and φ = 82/5 (Spiegelhalter 2005: overdispersion belongs to the providers).
    const result = normal(five, { trimFraction: 0, adjustment: 'additive', target: 13 });
    expect(result.overdispersion.phi).toBeCloseTo(2, 14);
    expect(result.overdispersion.tau2).toBeCloseTo(12 / 11, 14);
    expect(result.providers.map((p) => p.z)).toEqual([-5, -1, -4, -2, -6]);
    // e at 10 with s = 0.5: 99.8 % limits 13 ± 3.0902·√(0.25 + 12/11) = 13 ± 3.578, so e (10) is below only the 95 % one.
    expect(result.providers[4].band).toBe('below-95');
  });

  it('a given centre replaces the inverse-variance mean for φ: around 11, z = [−3, 1, −2, 0, −2], φ = 18/5', () => {
    const result = normal(five, { trimFraction: 0, centre: 11, target: 10 });
    expect(result.overdispersion.phi).toBeCloseTo(18 / 5, 14);
    expect(result.providers.map((p) => p.z)).toEqual([-2, 2, -1, 1, 0]);
  });

  it('winsorised at 10 % (the default): z clamped to ±1.6, φ = 1.424, τ² = 3.12/5.5; multiplicative limits θ ± z√(φs²)', () => {
    // R type-7 quantiles of z at 0.1 and 0.9: −2 + 0.4 × 1 = −1.6 and 1 + 0.6 × 1 = 1.6.
    const result = normal(five);
    expect(result.providers.map((p) => p.trimmedZ)).toEqual([-1.6, 1.6, -1, 1, 0]);
    expect(result.providers.map((p) => p.trimmed)).toEqual([true, true, false, false, false]);
    // φ = (2.56 + 2.56 + 1 + 1 + 0)/5 = 1.424 > 1, so the multiplicative default applies; P(χ²₄ ≥ 7.12) = e^−3.56 × 4.56.
    expect(result.overdispersion).toMatchObject({ method: 'multiplicative', trimMethod: 'winsorise', applied: true, n: 5 });
    expect(result.overdispersion.phi).toBeCloseTo(1.424, 14);
    expect(result.overdispersion.pValue).toBeCloseTo(4.56 * Math.exp(-3.56), 14);
    expect(result.overdispersion.tau2).toBeCloseTo(3.12 / 5.5, 14);
    const [l95, l998] = result.providers[0].limitsAtPrecision.adjusted;
    expect(l95.lower).toBeCloseTo(10 - z95 * Math.sqrt(1.424), 13); // 7.661144
    expect(l998.upper).toBeCloseTo(10 + z998 * Math.sqrt(1.424), 13);
    expect(result.providers[0].limitsAtPrecision.unadjusted[0].lower).toBeCloseTo(10 - z95, 13); // 8.040036
    // a (8) is below the unadjusted 95 % limit 8.040036 but within the widened 7.661144.
    expect(result.providers.map((p) => p.band)).toEqual(['within', 'within', 'within', 'within', 'within']);
  });

  it('additive τ² widens each limit by √(s² + τ²); unadjusted, a and b are beyond 95 % but not 99.8 %', () => {
    const additive = normal(five, { adjustment: 'additive' });
    const e = additive.providers[4].limitsAtPrecision.adjusted[0];
    expect(e.upper).toBeCloseTo(10 + z95 * Math.sqrt(0.25 + 3.12 / 5.5), 13); // 11.771870
    const none = normal(five, { adjustment: 'none', judgementCoverage: 0.95, polarity: 'higher-is-better' });
    expect(none.overdispersion.applied).toBe(false);
    expect(none.providers.map((p) => p.band)).toEqual(['below-95', 'above-95', 'within', 'within', 'within']);
    expect(none.providers.map((p) => p.judgement)).toEqual(['worse', 'better', 'as-expected', 'as-expected', 'as-expected']);
    expect(none.curves.map((c) => [c.kind, c.coverage])).toEqual([['unadjusted', 0.95], ['unadjusted', 0.998], ['adjusted', 0.95], ['adjusted', 0.998]]);
    const first = none.curves[0].points[0];
    expect([first.precision, first.lower, first.upper]).toEqual([1, 10 - z95, 10 + z95]);
  });

  it('does not depend on the order of the providers', () => {
    const more = [...five, ...Array.from({ length: 25 }, (_, i) => ({ id: `x${i}`, value: 10 + 3 * Math.sin(i * 1.7), standardError: 0.4 + (i % 6) / 5 }))];
    const shuffled = [...more].reverse().map((_, i, all) => all[(i * 7) % all.length]);
    expect(new Set(shuffled.map((p) => p.id)).size).toBe(more.length);
    for (const options of [{}, { adjustment: 'additive' }, { trimMethod: 'truncate' }] as const) {
      const [a, b] = [normal(more, options), normal(shuffled, options)];
      expect(b.targetTransformed).toBeCloseTo(a.targetTransformed, 12);
      expect(b.overdispersion.phi).toBeCloseTo(a.overdispersion.phi, 12);
      expect(b.overdispersion.tau2).toBeCloseTo(a.overdispersion.tau2, 12);
      const byId = new Map(b.providers.map((p) => [p.id, p]));
      for (const p of a.providers) {
        const q = byId.get(p.id);
        expect([q?.band, q?.judgement, q?.trimmed]).toEqual([p.band, p.judgement, p.trimmed]);
        expect(q?.z).toBeCloseTo(p.z, 12);
      }
    }
  });

  it('a provider exactly on a limit is within it (inclusive); one a hair beyond is not', () => {
    // θ = 0 and s = 1 make the 95 % limits exactly ±z95.
    const at = (value: number) => normal([{ id: 'x', value, standardError: 1 }], { target: 0, limits: [0.95] }).providers[0];
    expect(at(z95).band).toBe('within');
    expect(at(-z95).band).toBe('within');
    expect(at(z95 + 2 ** -51).band).toBe('above-95');
    expect(at(-z95 - 2 ** -51).band).toBe('below-95');
  });

  it('one provider: θ is its value, z = 0, φ = 0 with p = 1, no adjustment; curves span [P/2, 2P]', () => {
    const result = normal([{ id: 'only', value: 5, standardError: 2 }]);
    expect(result.target).toBe(5);
    expect(result.providers[0]).toMatchObject({ z: 0, precision: 0.25, band: 'within' });
    expect(result.overdispersion).toMatchObject({ phi: 0, tau2: 0, pValue: 1, n: 1, applied: false });
    expect(result.curves[0].points[0].precision).toBe(0.125);
    expect(result.curves[0].points.at(-1)?.precision).toBe(0.5);
  });

  it('identical providers: θ is their value exactly, z = 0, φ = τ² = 0, no adjustment, all within', () => {
    const same = ['a', 'b', 'c'].map((id) => ({ id, value: 7.3, standardError: 0.3 }));
    const result = normal(same, { adjustment: 'additive' });
    expect(result.target).toBe(7.3);
    expect(result.overdispersion).toMatchObject({ phi: 0, tau2: 0, applied: false });
    expect(result.providers.every((p) => p.z === 0 && p.band === 'within')).toBe(true);
  });

  it("scale 'log': DSRs with Dobson's asymmetric intervals compared as ln(DSR), limits drawn back with exp", () => {
    const dsrs = [[500, 480, 521], [650, 610, 692], [420, 395, 446], [560, 548, 572]].map(([value, lower, upper], i) => ({
      id: `area${i}`, value, standardError: logStandardErrorFromInterval(lower, upper),
    }));
    const result = normal(dsrs, { scale: 'log', adjustment: 'additive', trimFraction: 0 });
    const w = dsrs.map((p) => p.standardError ** -2);
    const centre = dsrs.reduce((sum, p, i) => sum + w[i] * Math.log(p.value), 0) / w.reduce((a, b) => a + b);
    expect(result.targetTransformed).toBeCloseTo(centre, 12);
    expect(result.target).toBeCloseTo(Math.exp(centre), 9);
    const { tau2, applied } = result.overdispersion;
    expect(applied).toBe(true);
    result.providers.forEach((p, i) => {
      expect(p.y).toBeCloseTo(Math.log(dsrs[i].value), 14);
      expect(p.z).toBeCloseTo((Math.log(dsrs[i].value) - centre) / dsrs[i].standardError, 12);
      const half = z95 * Math.sqrt(p.s ** 2 + tau2);
      expect(p.limitsAtPrecision.adjusted[0].lower).toBeCloseTo(Math.exp(centre - half), 9);
      expect(p.limitsAtPrecision.adjusted[0].upper).toBeCloseTo(Math.exp(centre + half), 9);
      // Comparing the DSR with exp-limits is comparing ln(DSR) with θ ± half.
      const side = Math.abs(p.y - centre) <= z998 * Math.sqrt(p.s ** 2 + tau2) ? (Math.abs(p.y - centre) <= half ? 'within' : '95') : '99.8';
      expect(p.band === 'within' ? 'within' : p.band.split('-')[1]).toBe(side);
    });
  });

  it('providerLimits: false gives the same bands without limits, typed without them', () => {
    const bands = funnelAnalysis({ measure: 'normal', providers: five, adjustment: 'none', providerLimits: false });
    expectTypeOf(bands.providers[0]).not.toHaveProperty('limitsAtPrecision');
    expect(bands.providers.every((p) => !('limitsAtPrecision' in p))).toBe(true);
    expect(bands.providers.map((p) => p.band)).toEqual(normal(five, { adjustment: 'none' }).providers.map((p) => p.band));
  });

  it('rejects invalid input with one message format', () => {
    const bad = (providers: NormalFunnelProviderInput[], options = {}) => () => normal(providers, options);
    expect(bad([{ id: 'a', value: 3, standardError: 0 }])).toThrow(new StatsInputError('funnelAnalysis requires standard errors greater than zero'));
    expect(bad([{ id: 'a', value: 3, standardError: -0.5 }])).toThrow(new StatsInputError('funnelAnalysis requires standard errors greater than zero'));
    expect(bad([{ id: 'a', value: Number.NaN, standardError: 1 }])).toThrow(new StatsInputError('funnelAnalysis requires values and standard errors that are finite numbers'));
    expect(bad([{ id: 'a', value: 0, standardError: 1 }], { scale: 'log' })).toThrow(new StatsInputError('funnelAnalysis requires values greater than zero on the log scale'));
    expect(bad(five, { scale: 'log', target: -1 })).toThrow(new StatsInputError('funnelAnalysis requires a target greater than zero on the log scale'));
    expect(bad(five, { scale: 'log', centre: 0 })).toThrow(new StatsInputError('funnelAnalysis requires a centre greater than zero on the log scale'));
    expect(bad([])).toThrow(new StatsInputError('funnelAnalysis requires at least one provider'));
    expect(bad(five, { judgementCoverage: 0.9 })).toThrow(new StatsInputError('funnelAnalysis requires a judgement coverage that is one of the limits'));
  });
});
