import { describe, expect, it } from 'vitest';
import { indicatorFunnel } from './indicator-funnel';
import type { IndicatorDefinition, ProviderObservation } from './types';

const z998 = 3.090232306167813;
const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };
const mean: IndicatorDefinition = { code: 'LOS', name: 'Length of stay', measureKind: 'mean', polarity: 'no_judgement', multiplier: 1, unit: 'days', target: null };

// 40 providers around 5 days with real between-provider spread and a few far out, published with 95 % intervals.
const rows: ProviderObservation[] = Array.from({ length: 40 }, (_, i) => {
  const standardError = 0.05 + (i % 7) * 0.03;
  const value = 5 + 0.25 * Math.sin(i * 1.7) + (i % 13 === 0 ? 1.2 : 0);
  return { ...none, organisationCode: `P${i}`, organisationName: `Provider ${i}`, value, valueLower: value - 1.959963984540054 * standardError, valueUpper: value + 1.959963984540054 * standardError };
});
const options = { convention: 'spiegelhalter' as const, trimFraction: 0.1, suppressionThreshold: 5 };

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
