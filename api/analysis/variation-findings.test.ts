import { describe, expect, it } from 'vitest';
import { peerFunnel } from './peer-funnel';
import type { IndicatorDefinition, ProviderObservation } from './types';
import { rankFindings, variationFindings, type WindowPeriod } from './variation-findings';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false };
const row = (code: string, numerator: number, denominator: number): ProviderObservation => ({ ...none, organisationCode: code, organisationName: `${code} Hospitals NHS Trust`, numerator, denominator });
const options = { convention: 'spiegelhalter' as const, adjustment: 'none' as const, trimFraction: 0.1 };
const indicator: IndicatorDefinition = { code: 'P', name: 'Readmissions', measureKind: 'proportion', polarity: 'lower_is_better', multiplier: 100, unit: '%', target: null };

/** A quarter in which HIGH has `high` of 400 and OUT (not a member) 40 of 400, against ten peers at 100 of 400. */
function quarter(label: string, high: number): WindowPeriod {
  const rows = [...Array.from({ length: 10 }, (_, i) => row(`A${i}`, 100, 400)), row('HIGH', high, 400), row('OUT', 40, 400)];
  return { period: { label, granularity: 'quarter' }, peer: peerFunnel(indicator, rows, options) };
}

describe('variationFindings', () => {
  const members = new Set(['A0', 'HIGH']);
  const window = [quarter('Q1', 100), quarter('Q2', 120), quarter('Q3', 180), quarter('Q4', 180)];

  it('finds the members beyond 99.8 % in the last period, with persistence outside 95 % over the window', () => {
    const [finding, ...others] = variationFindings(indicator, window, members);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ indicator: 'P', organisation: { code: 'HIGH' }, period: 'Q4', value: 45, band: 'above-99.8', judgement: 'worse', side: 'above' });
    // Q1 is at the centre; Q2 (30 %) lies between the 95 % and 99.8 % limits; Q3 and Q4 beyond 99.8 %.
    expect(window[1].peer.available && window[1].peer.providers.get('HIGH')?.band).toBe('above-95');
    expect(finding.persistence).toEqual({ outside95: 3, judged: 4, periods: ['Q1', 'Q2', 'Q3', 'Q4'] });
    expect(finding.sentence).toBe('HIGH Hospitals NHS Trust\'s readmissions, 45.0 %, is above the 99.8 % limit for its size, and has been outside 95 % in 3 of the last 4 quarters.');
  });

  it('ignores providers outside the network, however far out', () => {
    expect(variationFindings(indicator, window, new Set(['A0']))).toEqual([]);
  });

  it('finds nothing when the last period has no funnel', () => {
    expect(variationFindings({ ...indicator, measureKind: 'mean' }, window.map(({ period }) => ({ period, peer: { available: false, reason: 'no funnel' } })), members)).toEqual([]);
  });
});

describe('rankFindings', () => {
  it('puts the largest |adjusted z| first, whatever its sign or its unadjusted z', () => {
    const base = variationFindings(indicator, [quarter('Q4', 180)], new Set(['HIGH']))[0];
    const ranked = rankFindings([
      { ...base, z: 9, adjustedZ: 4 },
      { ...base, z: -6, adjustedZ: -6, organisation: { code: 'LOW', name: 'Low' } },
      { ...base, z: 5, adjustedZ: 5 },
    ]);
    expect(ranked.map((finding) => finding.adjustedZ)).toEqual([-6, 5, 4]);
  });
});
