import { describe, expect, it } from 'vitest';
import { indicatorFunnel } from './indicator-funnel';
import { withhold } from './suppression';
import type { IndicatorDefinition, ProviderObservation } from './types';

const z998 = 3.090232306167813;
const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };
const mean: IndicatorDefinition = { code: 'LOS', name: 'Length of stay', measureKind: 'mean', polarity: 'no_judgement', multiplier: 1, unit: 'days', target: null };

// 40 providers around 5 days with real between-provider spread and a few far out, published with 95 % intervals.
const rows: ProviderObservation[] = Array.from({ length: 40 }, (_, i) => {
  const standardError = 0.05 + (i % 7) * 0.03;
  const value = 5 + 0.25 * Math.sin(i * 1.7) + (i % 13 === 0 ? 1.2 : 0);
  return { ...none, organisationCode: `P${i}`, organisationName: `Provider ${i}`, suppressed: false, value, valueLower: value - 1.959963984540054 * standardError, valueUpper: value + 1.959963984540054 * standardError };
});
const options = { convention: 'spiegelhalter' as const, trimFraction: 0.1 };

describe('indicatorFunnel adjusted z', () => {
  it.each(['additive', 'multiplicative'] as const)(
    '%s: a provider is beyond the adjusted 99.8 %% limit exactly when |adjusted z| exceeds 3.09 (the normal funnel\'s limits are θ ± z·√(adjusted variance))',
    (adjustment) => {
      const funnel = indicatorFunnel(mean, rows, { ...options, adjustment });
      expect(funnel.overdispersion.applied).toBe(true);
      for (const provider of funnel.providers) {
        expect(provider.band!.endsWith('99.8'), provider.code).toBe(Math.abs(provider.adjustedZ!) > z998);
        expect(Math.abs(provider.adjustedZ!)).toBeLessThan(Math.abs(provider.z!));
      }
      if (adjustment === 'multiplicative') {
        for (const provider of funnel.providers) expect(provider.adjustedZ).toBeCloseTo(provider.z! / Math.sqrt(funnel.overdispersion.phi), 12);
      }
    },
  );

  it('equals z when no adjustment is made', () => {
    const funnel = indicatorFunnel(mean, rows, { ...options, adjustment: 'none' });
    for (const provider of funnel.providers) expect(provider.adjustedZ).toBe(provider.z);
  });
});

describe('indicatorFunnel with suppressed providers', () => {
  const proportion: IndicatorDefinition = { code: 'P', name: 'Proportion', measureKind: 'proportion', polarity: 'lower_is_better', multiplier: 100, unit: '%', target: null };
  const counted = (code: string, numerator: number, denominator: number): ProviderObservation => ({ ...none, organisationCode: code, organisationName: code, suppressed: false, numerator, denominator });
  // Spread enough for φ > 1, so the overdispersion estimate is one of the things compared.
  const published = [40, 55, 61, 48, 70, 52, 45, 66, 58, 50].map((numerator, i) => counted(`A${i}`, numerator, 200 + 20 * i));
  const withSmall = (numerator: number) => [...published.slice(0, 4), withhold(counted('SMALL', numerator, 12)), ...published.slice(4)];
  const funnelOf = (rows: ProviderObservation[]) => indicatorFunnel(proportion, rows, { ...options, adjustment: 'multiplicative' });

  it('computes benchmark, φ and limits from the published providers alone, whatever the withheld counts were', () => {
    const alone = funnelOf(published);
    expect(alone.overdispersion.phi).toBeGreaterThan(1);
    for (const small of [1, 4]) {
      const funnel = funnelOf(withSmall(small));
      expect(funnel.target).toBe(alone.target);
      expect(funnel.overdispersion).toEqual(alone.overdispersion);
      expect(funnel.curves).toEqual(alone.curves);
    }
    // Counting SMALL's 4 of 12 would move the benchmark: the comparison above can tell.
    expect(funnelOf([...published, counted('SMALL', 4, 12)]).target).not.toBe(alone.target);
  });

  it('lists a suppressed provider after the judged ones with every figure withheld, not as excluded', () => {
    const funnel = funnelOf(withSmall(4));
    expect(funnel.providers.map((provider) => provider.code)).toEqual([...published.map((row) => row.organisationCode).sort(), 'SMALL']);
    expect(funnel.providers.at(-1)).toEqual({ code: 'SMALL', name: 'SMALL', suppressed: true, numerator: null, denominator: null, value: null, lower: null, upper: null, z: null, adjustedZ: null, precision: null, band: null, judgement: null });
    expect(funnel.providers.slice(0, -1).every((provider) => !provider.suppressed && provider.z !== null)).toBe(true);
    expect(funnel.excluded).toEqual([]);
  });
});

describe('indicatorFunnel per-provider limits and shrinkage', () => {
  it('gives each provider its limits at its own standard error: θ ± z·√φ·s adjusted, θ ± z·s unadjusted, none adjusted when nothing applies', () => {
    const funnel = indicatorFunnel(mean, rows, { ...options, adjustment: 'multiplicative', providerLimits: true });
    const { phi } = funnel.overdispersion;
    const theta = funnel.target;
    rows.forEach((row) => {
      const provider = funnel.providers.find((one) => one.code === row.organisationCode)!;
      const s = (row.valueUpper! - row.valueLower!) / (2 * 1.959963984540054);
      expect(provider.limits!.unadjusted.upper998).toBeCloseTo(theta + z998 * s, 9);
      expect(provider.limits!.unadjusted.lower95).toBeCloseTo(theta - 1.959963984540054 * s, 9);
      expect(provider.limits!.adjusted!.upper998).toBeCloseTo(theta + z998 * Math.sqrt(phi) * s, 9);
    });
    const plain = indicatorFunnel(mean, rows, { ...options, adjustment: 'none', providerLimits: true });
    for (const provider of plain.providers) expect(provider.limits!.adjusted).toBeNull();
    expect(indicatorFunnel(mean, rows, { ...options, adjustment: 'none' }).providers[0]).not.toHaveProperty('limits');
  });

  // A rate's funnel scale is the ratio O/(θn), so y and s both scale with the benchmark: its shrunken values
  // on the display scale must not. Reading them back × multiplier alone (without θ) would move them with it.
  it.each([
    ['crude rate', { code: 'R', name: 'Rate', measureKind: 'crude_rate', polarity: 'lower_is_better', multiplier: 100_000, unit: 'per 100 000', target: null }, 300],
    ['proportion', { code: 'P', name: 'Proportion', measureKind: 'proportion', polarity: 'lower_is_better', multiplier: 100, unit: '%', target: null }, 30],
  ] as const)('%s: shrunken values and ranks do not depend on the benchmark', (_kind, indicator, benchmark) => {
    const counts = [12, 30, 25, 60, 41, 8, 90, 33, 20, 47].map((numerator, i): ProviderObservation => ({ ...none, organisationCode: `C${i}`, organisationName: `C${i}`, suppressed: false, numerator, denominator: 40 + 25 * i }));
    const pooled = indicatorFunnel(indicator, counts, { ...options, adjustment: 'additive', shrinkage: true });
    const targeted = indicatorFunnel(indicator, counts, { ...options, adjustment: 'additive', shrinkage: true, benchmark });
    expect(targeted.target).not.toBeCloseTo(pooled.target, 3);
    pooled.providers.forEach((provider, i) => {
      expect(targeted.providers[i].shrunken!.value).toBeCloseTo(provider.shrunken!.value, 9);
      expect(targeted.providers[i].shrunken!.upper).toBeCloseTo(provider.shrunken!.upper, 9);
      expect(targeted.providers[i].rank).toEqual(provider.rank);
    });
  });
});
