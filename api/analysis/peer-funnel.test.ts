import { describe, expect, it } from 'vitest';
import { funnelSummary, isOutlier, isOutside95, peerFunnel } from './peer-funnel';
import type { IndicatorDefinition, ProviderObservation } from './types';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false };
const row = (code: string, numerator: number, denominator: number): ProviderObservation => ({ ...none, organisationCode: code, organisationName: `Trust ${code}`, numerator, denominator });
const proportion: IndicatorDefinition = { code: 'P', name: 'A proportion', measureKind: 'proportion', polarity: 'higher_is_better', multiplier: 100, unit: '%', target: null };
const options = { convention: 'spiegelhalter' as const, adjustment: 'none' as const, trimFraction: 0.1 };

describe('peerFunnel', () => {
  // Ten providers at 50 % of 400 and one at 20 %: far below any limit about the pooled ≈ 47 %.
  const rows = [...Array.from({ length: 10 }, (_, i) => row(`A${i}`, 200, 400)), row('LOW', 80, 400)];

  it('runs indicatorFunnel and indexes its providers by code', () => {
    const peer = peerFunnel(proportion, rows, options);
    expect(peer.available).toBe(true);
    if (!peer.available) return;
    expect(peer.providers.get('LOW')).toMatchObject({ band: 'below-99.8', judgement: 'worse' });
    expect(isOutlier(peer.providers.get('LOW'))).toBe(true);
    expect(isOutside95(peer.providers.get('LOW'))).toBe(true);
    expect(isOutlier(peer.providers.get('A0'))).toBe(false);
    expect(funnelSummary(peer)).toMatchObject({ available: true, measure: 'proportion', scale: 'arcsine', target: expect.closeTo((100 * 2080) / 4400, 9) });
  });

  it('reports a funnel that cannot be drawn with its reason instead of throwing (means published without intervals)', () => {
    const peer = peerFunnel({ ...proportion, measureKind: 'mean' }, rows, options);
    expect(peer).toEqual({ available: false, reason: expect.stringContaining('no provider has a published value with a 95 % interval') });
    expect(funnelSummary(peer)).toEqual({ available: false, reason: expect.any(String) });
  });

  it('reports a method the counts cannot take (the SHMI convention on a proportion) with the engine’s message', () => {
    expect(peerFunnel(proportion, rows, { ...options, convention: 'shmi' })).toEqual({ available: false, reason: "funnelAnalysis requires measure 'ratio' for the shmi convention" });
  });

  it('treats missing and suppressed providers as neither outliers nor outside 95 %', () => {
    expect(isOutlier(undefined)).toBe(false);
    expect(isOutlier({ judgement: null })).toBe(false);
    expect(isOutside95({ band: null })).toBe(false);
    expect(isOutside95({ band: 'above-95' })).toBe(true);
  });
});
