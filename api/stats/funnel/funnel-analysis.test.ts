import { describe, expect, expectTypeOf, it } from 'vitest';
import { StatsInputError } from '../errors';
import { funnelAnalysis } from './funnel-analysis';
import { transformedLimits } from './transformed-limits';

// FunnelPlotR's six-unit test data (tests/testthat); φ = 2.948033 under the SHMI convention is asserted upstream.
const small6 = [
  ['a', 100, 108], ['b', 150, 112], ['c', 180, 165], ['d', 80, 95], ['e', 120, 100], ['f', 225, 220],
].map(([id, numerator, denominator]) => ({ id: String(id), numerator: Number(numerator), denominator: Number(denominator) }));

describe('funnelAnalysis', () => {
  it('SHMI convention: log scale, truncation, additive τ²; φ = 2.948033 (FunnelPlotR test-classes_methods.R), all in band 2', () => {
    const result = funnelAnalysis({ measure: 'ratio', providers: small6, convention: 'shmi' });
    expect(result.scale).toBe('log');
    expect(result.overdispersion).toMatchObject({ method: 'additive', trimMethod: 'truncate', trimFraction: 0.1, applied: true, n: 6 });
    expect(result.overdispersion.phi).toBeCloseTo(2.948033, 6);
    expect(result.providers.map((p) => p.shmiBand)).toEqual([2, 2, 2, 2, 2, 2]);
    expect(result.providers.every((p) => p.band === 'within')).toBe(true);
  });

  it('Spiegelhalter convention: square-root scale, winsorised, limits widened by √φ', () => {
    const result = funnelAnalysis({ measure: 'ratio', providers: small6 });
    const { phi, applied, method } = result.overdispersion;
    expect([result.scale, method, applied]).toEqual(['square-root', 'multiplicative', true]);
    const a = result.providers[0];
    const expected = transformedLimits({ scale: 'square-root', target: 1, s: a.s, coverage: 0.95, phi });
    expect(a.limitsAtPrecision.adjusted[0]).toEqual(expected);
    // Unit b (150/112) sits above the unadjusted 99.8 % limit but only above the widened 95 % one.
    expect(funnelAnalysis({ measure: 'ratio', providers: small6, adjustment: 'none' }).providers[1].band).toBe('above-99.8');
    expect(result.providers[1].band).toBe('above-95');
  });

  it('judges at 99.8 % by default and at 95 % when asked, with the polarity', () => {
    const input = { measure: 'ratio', providers: small6, adjustment: 'none', polarity: 'lower-is-better' } as const;
    expect(funnelAnalysis(input).providers.map((p) => p.judgement)).toEqual(['as-expected', 'worse', 'as-expected', 'as-expected', 'as-expected', 'as-expected']);
    expect(funnelAnalysis({ ...input, judgementCoverage: 0.95 }).providers[4].judgement).toBe('as-expected');
    expect(funnelAnalysis({ ...input, polarity: 'no-judgement' }).providers[1].judgement).toBe('higher');
  });

  it('reports values, target and limits × multiplier, and draws curves across the providers\' precisions', () => {
    const result = funnelAnalysis({ measure: 'ratio', providers: small6, multiplier: 100 });
    expect(result.target).toBe(100);
    expect(result.providers[0].value).toBeCloseTo(92.5925925925926, 12);
    expect(result.curves).toHaveLength(4);
    expect(result.curves[0].points[0].precision).toBe(95);
    expect(result.curves[0].points.at(-1)!.precision).toBe(220);
  });

  it("rounds E for limits and z only, as FunnelPlotR's SHMI mode does; the ratio keeps the raw E", () => {
    const [p] = funnelAnalysis({ measure: 'ratio', providers: [{ id: 'x', numerator: 406, denominator: 523.696304399202 }], expectedDecimalPlaces: 2 }).providers;
    expect(p.precision).toBe(523.7);
    expect(p.value).toBeCloseTo(406 / 523.696304399202, 14);
  });

  it('pools the target for proportions and rates: Σnumerator/Σdenominator', () => {
    const rate = funnelAnalysis({ measure: 'rate', multiplier: 1000, providers: [{ id: 'a', numerator: 10, denominator: 10000 }, { id: 'b', numerator: 30, denominator: 20000 }] });
    expect(rate.target).toBeCloseTo((40 / 30000) * 1000, 12);
    expect(rate.unadjustedLimits).toBe('exact-test');
    const prop = funnelAnalysis({ measure: 'proportion', providers: [{ id: 'a', numerator: 3, denominator: 10 }, { id: 'b', numerator: 7, denominator: 30 }] });
    expect([prop.target, prop.scale, prop.unadjustedLimits]).toEqual([0.25, 'arcsine', 'exact']);
  });

  describe("providerLimits: false (bands only, for the API)", () => {
    // Deterministic providers over a wide range of denominators, overdispersed so φ > 1, every 40th far out.
    const many = Array.from({ length: 400 }, (_, i) => {
      const denominator = 20 + ((i * 7919) % 3000);
      return { id: `p${i}`, numerator: Math.round(denominator * (i % 40 === 0 ? 0.3 : 0.1 + 0.06 * Math.sin(i))), denominator };
    });
    const asRatio = many.map((p) => ({ ...p, denominator: p.denominator * 0.11 }));
    it.each([
      ['proportion, exact limits, unadjusted', { measure: 'proportion', providers: many, adjustment: 'none' }],
      ['proportion, exact limits, additive τ²', { measure: 'proportion', providers: many, adjustment: 'additive' }],
      ['ratio, χ² limits, unadjusted', { measure: 'ratio', providers: asRatio, adjustment: 'none', polarity: 'lower-is-better' }],
      ['ratio, exact-test limits, SHMI', { measure: 'ratio', providers: asRatio, convention: 'shmi', poissonLimits: 'exact-test' }],
      ['rate, exact-test limits, unadjusted', { measure: 'rate', providers: many, adjustment: 'none', multiplier: 1e5 }],
    ] as const)('%s: every band, judgement, z, φ, τ² and curve as with limits; no limitsAtPrecision', (_, input) => {
      const full = funnelAnalysis(input);
      const bands = funnelAnalysis({ ...input, providerLimits: false });
      expect(bands.providers.every((p) => !('limitsAtPrecision' in p))).toBe(true);
      expect(bands.providers).toEqual(full.providers.map(({ limitsAtPrecision: _, ...rest }) => rest));
      expect(bands.providers.some((p) => p.band !== 'within')).toBe(true);
      expect({ ...bands, providers: [] }).toEqual({ ...full, providers: [] });
    });

    it('types the result without limits, and shares one limits object between providers of equal precision', () => {
      const bands = funnelAnalysis({ measure: 'proportion', providers: many, providerLimits: false });
      expectTypeOf(bands.providers[0]).not.toHaveProperty('limitsAtPrecision');
      const twins = funnelAnalysis({ measure: 'proportion', providers: [many[0], { ...many[0], id: 'twin' }] });
      expectTypeOf(twins.providers[0]).toHaveProperty('limitsAtPrecision');
      expect(twins.providers[1].limitsAtPrecision).toBe(twins.providers[0].limitsAtPrecision);
    });
  });

  describe('degenerate but valid input', () => {
    it('numerator 0 and numerator = denominator for proportions: values 0 and 1, finite z on the arcsine scale', () => {
      const result = funnelAnalysis({ measure: 'proportion', providers: [{ id: 'a', numerator: 0, denominator: 10 }, { id: 'b', numerator: 10, denominator: 10 }] });
      expect(result.providers.map((p) => p.value)).toEqual([0, 1]);
      expect(result.providers.every((p) => Number.isFinite(p.z))).toBe(true);
    });

    it("observed 0 on the log scale: z adds ½ to O and to θE; with χ² limits a 0 is below any lower limit (the closed form's artefact), with 'exact-test' it is within until E > −ln(0.001)", () => {
      const providers = [{ id: 'zero', numerator: 0, denominator: 2 }, { id: 'b', numerator: 30, denominator: 28 }];
      const chi = funnelAnalysis({ measure: 'ratio', convention: 'shmi', providers, adjustment: 'none' }).providers[0];
      expect(chi.z).toBeCloseTo(Math.log(0.5 / 2.5) * Math.sqrt(2), 12);
      expect(chi.band).toBe('below-99.8');
      const exact = funnelAnalysis({ measure: 'ratio', providers, adjustment: 'none', poissonLimits: 'exact-test' }).providers[0];
      expect(exact.band).toBe('within');
    });

    it('one provider: φ = z² but no degrees of freedom, so p = 1 and no adjustment; its curves span [E/2, 2E]', () => {
      const result = funnelAnalysis({ measure: 'ratio', providers: [{ id: 'x', numerator: 30, denominator: 20 }] });
      expect(result.overdispersion).toMatchObject({ pValue: 1, tau2: 0, applied: false, n: 1 });
      expect(result.curves[0].points[0].precision).toBe(10);
    });

    it('all providers identical: φ = 0, no adjustment, everyone within', () => {
      const same = ['a', 'b', 'c'].map((id) => ({ id, numerator: 50, denominator: 50 }));
      const result = funnelAnalysis({ measure: 'ratio', providers: same });
      expect(result.overdispersion).toMatchObject({ phi: 0, pValue: 1, applied: false });
      expect(result.providers.every((p) => p.band === 'within' && p.z === 0)).toBe(true);
    });

    it('tiny expected counts give finite, ordered limits', () => {
      const result = funnelAnalysis({ measure: 'ratio', providers: [{ id: 'a', numerator: 1, denominator: 0.02 }, { id: 'b', numerator: 3, denominator: 5 }] });
      for (const limit of result.providers[0].limitsAtPrecision.unadjusted) {
        expect(limit.lower).toBeGreaterThanOrEqual(0);
        expect(limit.upper).toBeGreaterThan(limit.lower);
        expect(Number.isFinite(limit.upper)).toBe(true);
      }
    });
  });

  it('rejects invalid input with one message format', () => {
    const bad = (providers: { id: string; numerator: number; denominator: number }[], measure: 'ratio' | 'proportion' = 'ratio') =>
      () => funnelAnalysis({ measure, providers });
    expect(bad([{ id: 'a', numerator: 1, denominator: 0 }])).toThrow(new StatsInputError('funnelAnalysis requires expected counts greater than zero'));
    expect(bad([{ id: 'a', numerator: -1, denominator: 2 }])).toThrow(new StatsInputError('funnelAnalysis requires observed counts of at least zero'));
    expect(bad([{ id: 'a', numerator: Number.NaN, denominator: 2 }])).toThrow(new StatsInputError('funnelAnalysis requires numerators and denominators that are finite numbers'));
    expect(bad([{ id: 'a', numerator: 3, denominator: 2 }], 'proportion')).toThrow(new StatsInputError('funnelAnalysis requires numerators no greater than denominators for a proportion'));
    expect(bad([])).toThrow(new StatsInputError('funnelAnalysis requires at least one provider'));
    expect(() => funnelAnalysis({ measure: 'proportion', convention: 'shmi', providers: small6 })).toThrow(new StatsInputError("funnelAnalysis requires measure 'ratio' for the shmi convention"));
    expect(() => funnelAnalysis({ measure: 'ratio', providers: small6, judgementCoverage: 0.9 })).toThrow(new StatsInputError('funnelAnalysis requires a judgement coverage that is one of the limits'));
    expect(() => funnelAnalysis({ measure: 'rate', providers: [{ id: 'a', numerator: 0, denominator: 100 }] })).toThrow(
      new StatsInputError('funnelAnalysis requires a target greater than zero (a pooled target is 0 when no provider has an event)'),
    );
  });
});
