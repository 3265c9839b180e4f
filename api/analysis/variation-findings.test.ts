import { describe, expect, it } from 'vitest';
import type { MethodVerdict, ProviderSensitivity } from './method-sensitivity';
import { peerFunnel } from './peer-funnel';
import type { IndicatorDefinition, ProviderObservation } from './types';
import { methodSensitiveMembers, persistentOutliers, rankFindings, variationFindings, type WindowPeriod } from './variation-findings';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false };
const row = (code: string, numerator: number, denominator: number): ProviderObservation => ({ ...none, organisationCode: code, organisationName: `${code} Hospitals NHS Trust`, numerator, denominator });
const options = { convention: 'spiegelhalter' as const, adjustment: 'none' as const, trimFraction: 0.1 };
const indicator: IndicatorDefinition = { code: 'P', name: 'Readmissions', measureKind: 'proportion', polarity: 'lower_is_better', multiplier: 100, unit: '%', target: null };

/** A quarter in which HIGH has `high` of 400 and OUT (not a member) 40 of 400, against ten peers at 100 of 400. */
function quarter(label: string, high: number): WindowPeriod {
  const rows = [...Array.from({ length: 10 }, (_, i) => row(`A${i}`, 100, 400)), row('HIGH', high, 400), row('OUT', 40, 400)];
  return { period: { label, granularity: 'quarter' }, peer: peerFunnel(indicator, rows, options) };
}

const verdict = (family: string, trimFraction: number | null, judgement: MethodVerdict['verdict']): MethodVerdict => ({
  method: trimFraction === null ? family : `${family}, ${trimFraction * 100} % winsorised`,
  family,
  trimFraction,
  verdict: judgement,
});
/** HIGH beyond 99.8 % under φ only: the sensitivity the finder is given for the latest funnel. */
const onlyUnderPhi: ProviderSensitivity = {
  id: 'HIGH',
  robust: false,
  verdicts: [verdict('no adjustment', null, 'as-expected'), ...[0.05, 0.1, 0.2].map((trim) => verdict('φ', trim, 'worse')), ...[0.05, 0.1, 0.2].map((trim) => verdict('τ²', trim, 'as-expected'))],
};
const robust = (id: string): ProviderSensitivity => ({ id, robust: true, verdicts: [verdict('no adjustment', null, 'worse'), verdict('φ', 0.1, 'worse')] });
const noSensitivity = new Map<string, ProviderSensitivity>();

describe('variationFindings', () => {
  const members = new Set(['A0', 'HIGH']);
  const window = [quarter('Q1', 100), quarter('Q2', 120), quarter('Q3', 180), quarter('Q4', 180)];

  it('finds the members beyond 99.8 % in the last period, with persistence outside 95 % over the window', () => {
    const [finding, ...others] = variationFindings(indicator, window, members, noSensitivity);
    expect(others).toEqual([]);
    expect(finding).toMatchObject({ indicator: 'P', organisation: { code: 'HIGH' }, period: 'Q4', value: 45, band: 'above-99.8', judgement: 'worse', side: 'above' });
    // Q1 is at the centre; Q2 (30 %) lies between the 95 % and 99.8 % limits; Q3 and Q4 beyond 99.8 %.
    expect(window[1].peer.available && window[1].peer.providers.get('HIGH')?.band).toBe('above-95');
    expect(finding.persistence).toEqual({ outside95: 3, judged: 4, periods: ['Q1', 'Q2', 'Q3', 'Q4'] });
    expect(finding.sentence).toBe('HIGH Hospitals NHS Trust\'s readmissions, 45.0 %, is above the 99.8 % limit for its size, and has been outside 95 % in 3 of the last 4 quarters.');
  });

  it('carries the verdicts of every method, and says in the sentence when they differ', () => {
    const [sensitive] = variationFindings(indicator, window, members, new Map([['HIGH', onlyUnderPhi]]));
    expect(sensitive.methodSensitivity).toEqual({ robust: false, verdicts: onlyUnderPhi.verdicts });
    expect(sensitive.sentence).toMatch(/in 3 of the last 4 quarters\. It is beyond the 99\.8 % limit under φ but not without adjustment or under τ²\.$/);
    const [agreed] = variationFindings(indicator, window, members, new Map([['HIGH', robust('HIGH')]]));
    expect(agreed.methodSensitivity.robust).toBe(true);
    expect(agreed.sentence).toMatch(/in 3 of the last 4 quarters\.$/);
  });

  it('ignores providers outside the network, however far out', () => {
    expect(variationFindings(indicator, window, new Set(['A0']), noSensitivity)).toEqual([]);
  });

  it('finds nothing when the last period has no funnel', () => {
    expect(variationFindings({ ...indicator, measureKind: 'mean' }, window.map(({ period }) => ({ period, peer: { available: false, reason: 'no funnel' } })), members, noSensitivity)).toEqual([]);
  });
});

describe('persistentOutliers', () => {
  // HIGH at 30 % lies between the 95 % and 99.8 % limits (above-95): never a finding, always outside 95 % above.
  const between = [quarter('Q1', 120), quarter('Q2', 120), quarter('Q3', 120), quarter('Q4', 120)];

  it('lists a member outside the same 95 % limit in each of the last k periods though it is not beyond 99.8 % now', () => {
    expect(variationFindings(indicator, between, new Set(['HIGH']), noSensitivity)).toEqual([]);
    const [persistent, ...others] = persistentOutliers(indicator, between, new Set(['HIGH', 'A0']), 4);
    expect(others).toEqual([]);
    expect(persistent).toMatchObject({ indicator: 'P', organisation: { code: 'HIGH' }, period: 'Q4', periods: ['Q1', 'Q2', 'Q3', 'Q4'], side: 'above', judgement: 'worse', value: 30, beyond998: false });
    expect(persistent.sentence).toBe("HIGH Hospitals NHS Trust's readmissions has been above the 95 % limit for its size in each of the last 4 quarters; it is 30.0 % now, within the 99.8 % limit.");
  });

  it('needs every one of the last k periods on the same side: one period inside, or on the other side, breaks the run', () => {
    const broken = [quarter('Q1', 120), quarter('Q2', 100), quarter('Q3', 120), quarter('Q4', 180)];
    expect(persistentOutliers(indicator, broken, new Set(['HIGH']), 3)).toEqual([]);
    expect(persistentOutliers(indicator, broken, new Set(['HIGH']), 2)).toMatchObject([{ periods: ['Q3', 'Q4'], beyond998: true }]);
    const flipped = [quarter('Q1', 60), quarter('Q2', 120)];
    expect(flipped[0].peer.available && flipped[0].peer.providers.get('HIGH')?.band).toMatch(/^below/);
    expect(persistentOutliers(indicator, flipped, new Set(['HIGH']), 2)).toEqual([]);
  });

  it('finds none when the window is shorter than k', () => {
    expect(persistentOutliers(indicator, between.slice(-3), new Set(['HIGH']), 4)).toEqual([]);
  });
});

describe('methodSensitiveMembers', () => {
  it('lists the members whose latest verdict differs between methods, with a sentence naming which', () => {
    const latest = quarter('Q4', 180);
    const listed = methodSensitiveMembers(indicator, latest, new Set(['HIGH', 'A0']), new Map([['HIGH', onlyUnderPhi], ['A0', robust('A0')]]));
    expect(listed).toEqual([
      {
        indicator: 'P',
        organisation: { code: 'HIGH', name: 'HIGH Hospitals NHS Trust' },
        period: 'Q4',
        judgement: 'worse',
        adjustedZ: expect.any(Number),
        verdicts: onlyUnderPhi.verdicts,
        sentence: "HIGH Hospitals NHS Trust's readmissions is beyond the 99.8 % limit under φ but not without adjustment or under τ².",
      },
    ]);
    expect(methodSensitiveMembers(indicator, latest, new Set(['A0']), new Map([['HIGH', onlyUnderPhi]]))).toEqual([]);
  });
});

describe('rankFindings', () => {
  it('puts concerns (worse, or higher / lower without a polarity) before better-than-expected results, however far out', () => {
    const base = variationFindings(indicator, [quarter('Q4', 180)], new Set(['HIGH']), noSensitivity)[0];
    const ranked = rankFindings([
      { ...base, judgement: 'better', adjustedZ: -9, organisation: { code: 'GOOD', name: 'Good' } },
      { ...base, judgement: 'worse', adjustedZ: 4 },
      { ...base, judgement: 'higher', adjustedZ: 5, indicator: 'N' },
    ]);
    expect(ranked.map((finding) => finding.judgement)).toEqual(['higher', 'worse', 'better']);
  });

  it('puts the largest |adjusted z| first, whatever its sign or its unadjusted z', () => {
    const base = variationFindings(indicator, [quarter('Q4', 180)], new Set(['HIGH']), noSensitivity)[0];
    const ranked = rankFindings([
      { ...base, z: 9, adjustedZ: 4 },
      { ...base, z: -6, adjustedZ: -6, organisation: { code: 'LOW', name: 'Low' } },
      { ...base, z: 5, adjustedZ: 5 },
    ]);
    expect(ranked.map((finding) => finding.adjustedZ)).toEqual([-6, 5, 4]);
  });
});
