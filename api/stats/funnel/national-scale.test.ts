import { describe, expect, it } from 'vitest';
import { funnelAnalysis } from './funnel-analysis';

/** Above about 125,000 providers, spreading the precisions into Math.min overflowed the call stack. */
describe('funnels at national scale', () => {
  const count = 200_000;
  const denominators = Array.from({ length: count }, (_, i) => 50 + (i % 5_000));

  it('draws a proportion funnel of 200,000 providers whose curves span the smallest to the largest denominator', () => {
    const result = funnelAnalysis({
      measure: 'proportion',
      providers: denominators.map((denominator, i) => ({ id: `P${i}`, numerator: Math.round(denominator * (0.3 + ((i * 7919) % 100) / 1000)), denominator })),
      providerLimits: false,
    });
    const precisions = result.curves[0].points.map((point) => point.precision);
    expect(precisions[0]).toBe(50);
    expect(precisions.at(-1)).toBe(5_049);
    expect(result.providers).toHaveLength(count);
  });

  it('draws a normal funnel of 200,000 values with standard errors', () => {
    const result = funnelAnalysis({
      measure: 'normal',
      providers: denominators.map((denominator, i) => ({ id: `P${i}`, value: 4 + ((i * 7919) % 100) / 100, standardError: 1 / Math.sqrt(denominator) })),
      providerLimits: false,
    });
    expect(result.curves[0].points).toHaveLength(150);
    expect(result.providers).toHaveLength(count);
  });

  it('judges 1,000,000 SHMI-style providers as it judges 10,000: each ten-thousand repeated a hundred times keeps its z, and φ and τ² barely move', () => {
    // O/E around 1 with overdispersion, deterministic; the million is the ten thousand a hundred times over.
    const tenThousand = Array.from({ length: 10_000 }, (_, i) => {
      const expected = 5 + ((i * 7919) % 4000) / 10;
      return { id: `R${i}`, numerator: Math.round(expected * (0.8 + ((i * 104_729) % 400) / 1000)), denominator: expected };
    });
    const million = Array.from({ length: 1_000_000 }, (_, i) => ({ ...tenThousand[i % 10_000], id: `M${i}` }));
    const options = { measure: 'ratio', convention: 'shmi', trimMethod: 'winsorise', polarity: 'lower-is-better', providerLimits: false } as const;
    const small = funnelAnalysis({ ...options, providers: tenThousand });
    const large = funnelAnalysis({ ...options, providers: million });

    expect(Object.keys(large).sort()).toEqual(Object.keys(small).sort());
    expect(Object.keys(large.providers[0]).sort()).toEqual(Object.keys(small.providers[0]).sort());
    expect(large.curves.map((curve) => [curve.kind, curve.coverage, curve.points.length])).toEqual(small.curves.map((curve) => [curve.kind, curve.coverage, curve.points.length]));
    expect(large.providers).toHaveLength(1_000_000);
    // The target is 1: a provider's z does not depend on the others.
    for (const i of [0, 1, 4_321, 9_999]) {
      for (const copy of [0, 37, 99]) expect(large.providers[copy * 10_000 + i].z).toBe(small.providers[i].z);
    }
    // The quantiles of the repeated z-scores differ from the originals' only by the type-7 interpolation between neighbours.
    expect(small.overdispersion.phi).toBeGreaterThan(1.2);
    expect(large.overdispersion.phi).toBeCloseTo(small.overdispersion.phi, 2);
    expect(large.overdispersion.tau2 / small.overdispersion.tau2).toBeCloseTo(1, 2);
    expect(large.overdispersion.n).toBe(1_000_000);
  }, 120_000);

  it('draws no curves when asked not to, and judges every provider the same', () => {
    const providers = denominators.slice(0, 5_000).map((denominator, i) => ({ id: `P${i}`, numerator: Math.round(denominator * (0.3 + ((i * 7919) % 100) / 1000)), denominator }));
    for (const convention of ['spiegelhalter', 'cqc'] as const) {
      const drawn = funnelAnalysis({ measure: 'proportion', convention, providers, providerLimits: false });
      const judged = funnelAnalysis({ measure: 'proportion', convention, providers, providerLimits: false, curves: false });
      expect(drawn.curves).toHaveLength(4);
      expect(judged.curves).toEqual([]);
      expect({ ...judged, curves: drawn.curves }).toEqual(drawn);
    }
    const normal = { measure: 'normal', providers: providers.map((p) => ({ id: p.id, value: p.numerator / p.denominator, standardError: 0.5 / Math.sqrt(p.denominator) })) } as const;
    const drawn = funnelAnalysis({ ...normal, providerLimits: true });
    const judged = funnelAnalysis({ ...normal, providerLimits: true, curves: false });
    expect(judged.curves).toEqual([]);
    expect({ ...judged, curves: drawn.curves }).toEqual(drawn);
  });
});
