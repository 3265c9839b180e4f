import { describe, expect, it } from 'vitest';
import { funnelAnalysis, type AnyFunnelAnalysisInput } from '../stats';
import { methodSensitivity, sweepMethods, type SensitivityInput } from './method-sensitivity';

/** Overdispersed providers from a fixed linear congruential sequence. */
function providers(count: number, spread: number) {
  let seed = 42;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  return Array.from({ length: count }, (_, i) => {
    const denominator = 40 + Math.floor(next() * 3000);
    const rate = 0.2 * (1 + (next() - 0.5) * spread);
    return { id: `P${i}`, numerator: Math.round(denominator * rate), denominator };
  });
}

/** Each method drawn as a whole funnel by funnelAnalysis: the verdicts the sweep must reproduce without drawing them. */
function plainVerdicts(input: SensitivityInput) {
  return sweepMethods(input.measure).map((method) =>
    funnelAnalysis({
      ...input,
      ...(input.measure === 'normal' ? {} : { convention: method.convention }),
      adjustment: method.adjustment,
      trimFraction: method.trimFraction,
      trimMethod: method.trimMethod,
      providerLimits: false,
    } as AnyFunnelAnalysisInput & { providerLimits: false }).providers.map((provider) => provider.judgement),
  );
}

function expectSameAsPlainFunnels(input: SensitivityInput) {
  const sweep = methodSensitivity(input);
  const plain = plainVerdicts(input);
  sweep.providers.forEach((provider, i) => {
    expect(provider.verdicts.map(({ verdict }) => verdict)).toEqual(plain.map((verdicts) => verdicts[i]));
    expect(provider.robust).toBe(new Set(plain.map((verdicts) => verdicts[i])).size === 1);
  });
  return sweep;
}

describe('methodSensitivity', () => {
  it('lists ten methods for ratios (SHMI only there) and seven for other measures', () => {
    expect(sweepMethods('ratio').map((method) => method.label)).toEqual([
      'no adjustment',
      'φ, 5 % winsorised', 'φ, 10 % winsorised', 'φ, 20 % winsorised',
      'τ², 5 % winsorised', 'τ², 10 % winsorised', 'τ², 20 % winsorised',
      'SHMI τ², 5 % truncated', 'SHMI τ², 10 % truncated', 'SHMI τ², 20 % truncated',
    ]);
    expect(sweepMethods('proportion')).toHaveLength(7);
    expect(sweepMethods('normal').every((method) => method.convention === 'spiegelhalter')).toBe(true);
  });

  it.each([
    ['ratio', { measure: 'ratio', providers: providers(300, 0.9).map((p) => ({ ...p, denominator: p.numerator * (0.7 + (Number(p.id.slice(1)) % 7) / 10) + 1 })), polarity: 'lower-is-better' }],
    ['proportion', { measure: 'proportion', providers: providers(300, 0.8), polarity: 'higher-is-better', multiplier: 100 }],
    ['rate with a target', { measure: 'rate', providers: providers(200, 1.2), target: 0.21, multiplier: 1000 }],
    ['proportion without overdispersion', { measure: 'proportion', providers: providers(100, 0) }],
  ] as [string, SensitivityInput][])('%s: every verdict is the one funnelAnalysis gives under that method', (_, input) => {
    const sweep = expectSameAsPlainFunnels(input);
    expect(sweep.providers).toHaveLength(input.providers.length);
  });

  it('normal funnels (means, DSRs): every verdict is funnelAnalysis\'s', () => {
    const input: SensitivityInput = {
      measure: 'normal',
      scale: 'log',
      providers: providers(80, 1).map((p) => ({ id: p.id, value: (p.numerator + 1) / p.denominator, standardError: 1 / Math.sqrt(p.numerator + 1) })),
      polarity: 'lower-is-better',
    };
    expectSameAsPlainFunnels(input);
  });

  it('a large provider moderately above its peers is beyond 99.8 % under φ and without adjustment but not under τ²', () => {
    const small = [70, 80, 85, 90, 95, 100, 100, 105, 110, 115, 120, 130, 75, 125, 92, 108].map((observed, i) => ({ id: `S${i}`, numerator: observed, denominator: 100 }));
    const input: SensitivityInput = { measure: 'ratio', providers: [...small, { id: 'BIG', numerator: 10_700, denominator: 10_000 }], polarity: 'lower-is-better' };
    const big = expectSameAsPlainFunnels(input).providers.find((provider) => provider.id === 'BIG')!;
    const verdictOf = (label: string) => big.verdicts.find((verdict) => verdict.method === label)!.verdict;
    expect(verdictOf('no adjustment')).toBe('worse');
    expect(verdictOf('φ, 10 % winsorised')).toBe('worse');
    expect(verdictOf('τ², 10 % winsorised')).toBe('as-expected');
    expect(verdictOf('SHMI τ², 10 % truncated')).toBe('as-expected');
    expect(big.robust).toBe(false);
  });

  it('reports φ and τ² per scale and trimming, as funnelAnalysis estimates them', () => {
    const input = { measure: 'ratio', providers: providers(300, 0.9).map((p) => ({ ...p, denominator: p.numerator * 0.9 + 5 })) } as const;
    const sweep = methodSensitivity(input);
    expect(sweep.overdispersion.map((estimate) => `${estimate.scale} ${estimate.trimMethod} ${estimate.trimFraction}`)).toEqual([
      'square-root winsorise 0.05', 'square-root winsorise 0.1', 'square-root winsorise 0.2', 'log truncate 0.05', 'log truncate 0.1', 'log truncate 0.2',
    ]);
    for (const estimate of sweep.overdispersion) {
      const convention = estimate.scale === 'log' ? 'shmi' : 'cqc';
      const { overdispersion } = funnelAnalysis({ ...input, convention, trimFraction: estimate.trimFraction, trimMethod: estimate.trimMethod, providerLimits: false });
      expect([estimate.phi, estimate.tau2, estimate.n]).toEqual([overdispersion.phi, overdispersion.tau2, overdispersion.n]);
    }
  });
});
