import { describe, expect, it } from 'vitest';
import { findingSentence, formatIndicatorValue, methodSensitivitySentence, peerGroupWords, persistenceSentence, type FindingFacts } from './finding-sentence';
import type { MethodVerdict } from './method-sensitivity';

const mortality: FindingFacts['indicator'] = { name: 'Hospital mortality ratio', unit: 'ratio', multiplier: 1, measureKind: 'indirectly_standardised_ratio' };
const screening: FindingFacts['indicator'] = { name: 'Cervical screening coverage (25–49)', unit: '%', multiplier: 100, measureKind: 'proportion' };
const cdiff: FindingFacts['indicator'] = { name: 'Hospital-onset C. difficile infection', unit: 'per 100,000 bed days', multiplier: 100_000, measureKind: 'crude_rate' };

describe('formatIndicatorValue', () => {
  it.each([
    [1.6249, mortality, '1.62'],
    [112.345, { ...mortality, multiplier: 100 }, '112.3'],
    [48.66, screening, '48.7 %'],
    [100, screening, '100.0 %'],
    [23.45, cdiff, '23.5 per 100,000 bed days'],
    [1234.56, { name: 'ACS admissions', unit: 'per 100,000 registered population', multiplier: 100_000, measureKind: 'directly_standardised_rate' as const }, '1,234.6 per 100,000 registered population'],
    [5.31, { name: 'Mean length of stay', unit: 'days', multiplier: 1, measureKind: 'mean' as const }, '5.3 days'],
  ])('formats %d as %s', (value, indicator, expected) => {
    expect(formatIndicatorValue(value, indicator)).toBe(expected);
  });
});

describe('findingSentence', () => {
  const base: FindingFacts = {
    organisationName: 'Marrowmere University Hospitals NHS Foundation Trust',
    indicator: mortality,
    value: 1.6213,
    side: 'above',
    outside95: 4,
    periods: 4,
    granularity: 'quarter',
  };

  it('states the value, the limit it lies beyond and how persistent it is, in the words of the brief', () => {
    expect(findingSentence(base)).toBe(
      "Marrowmere University Hospitals NHS Foundation Trust's hospital mortality ratio, 1.62, is above the 99.8 % limit for its size, and has been outside 95 % in 4 of the last 4 quarters.",
    );
  });

  it('names months or periods by the granularity, and a lower value as below', () => {
    const sentence = findingSentence({ ...base, organisationName: 'Beech Road Surgery', indicator: screening, value: 48.66, side: 'below', outside95: 2, periods: 3, granularity: 'month' });
    expect(sentence).toBe("Beech Road Surgery's cervical screening coverage (25–49), 48.7 %, is below the 99.8 % limit for its size, and has been outside 95 % in 2 of the last 3 months.");
    expect(findingSentence({ ...base, granularity: 'financial_year' })).toMatch(/in 4 of the last 4 periods\.$/);
  });

  it('keeps capitals that belong to an abbreviation and writes the possessive of a name ending in s', () => {
    const sentence = findingSentence({ ...base, organisationName: "St Thomas", indicator: { ...screening, name: 'A&E attendances seen within 4 hours' }, value: 61.04 });
    expect(sentence.startsWith("St Thomas' A&E attendances seen within 4 hours, 61.0 %")).toBe(true);
  });

  it('says nothing about persistence when only one period was examined', () => {
    expect(findingSentence({ ...base, outside95: 1, periods: 1 })).toBe(
      "Marrowmere University Hospitals NHS Foundation Trust's hospital mortality ratio, 1.62, is above the 99.8 % limit for its size.",
    );
  });
});

const verdicts = (spec: [string, number | null, MethodVerdict['verdict']][]): MethodVerdict[] =>
  spec.map(([family, trimFraction, verdict]) => ({ method: `${family} ${trimFraction}`, family, trimFraction, verdict }));

describe('methodSensitivitySentence', () => {
  it('names the families of methods that put the provider beyond 99.8 % and those that do not', () => {
    const phiOnly = verdicts([['no adjustment', null, 'as-expected'], ['φ', 0.05, 'higher'], ['φ', 0.1, 'higher'], ['τ²', 0.05, 'as-expected'], ['τ²', 0.1, 'as-expected']]);
    expect(methodSensitivitySentence(phiOnly)).toBe('It is beyond the 99.8 % limit under φ but not without adjustment or under τ².');
  });

  it('names the trimmings when a family is split, and lists three or more with commas', () => {
    const split = verdicts([
      ['no adjustment', null, 'worse'], ['φ', 0.05, 'worse'], ['φ', 0.1, 'worse'], ['φ', 0.2, 'worse'],
      ['τ²', 0.05, 'as-expected'], ['τ²', 0.1, 'worse'], ['τ²', 0.2, 'worse'], ['SHMI τ²', 0.1, 'as-expected'],
    ]);
    expect(methodSensitivitySentence(split, 'X')).toBe('X is beyond the 99.8 % limit without adjustment, under φ and under τ² at 10 and 20 % trimming but not under SHMI τ² or at other trimmings.');
    expect(methodSensitivitySentence(split.slice(0, 7))).toBe('It is beyond the 99.8 % limit without adjustment, under φ and under τ² at 10 and 20 % trimming but not at other trimmings.');
  });

  it('says nothing when every method agrees', () => {
    expect(methodSensitivitySentence(verdicts([['no adjustment', null, 'worse'], ['φ', 0.1, 'worse']]))).toBeNull();
    expect(methodSensitivitySentence(verdicts([['no adjustment', null, 'as-expected'], ['φ', 0.1, 'as-expected']]))).toBeNull();
  });
});

describe('persistenceSentence', () => {
  it('states the side, the run of periods and where the latest value stands', () => {
    expect(persistenceSentence({ organisationName: 'Beech Road Surgery', indicator: screening, value: 48.66, side: 'below', periods: 4, granularity: 'quarter', beyond998: true })).toBe(
      "Beech Road Surgery's cervical screening coverage (25–49) has been below the 95 % limit for its size in each of the last 4 quarters; it is 48.7 % now, beyond the 99.8 % limit.",
    );
  });
});

describe('peerGroupWords', () => {
  it('names nearest neighbours by number, kind and attributes, and a saved set by name', () => {
    expect(peerGroupWords({ kind: 'nearest-neighbours', peers: 10, organisationKind: 'trust', attributes: ['beds', 'deprivation_decile'], within: null })).toBe('its 10 most similar trusts by beds and deprivation decile');
    expect(peerGroupWords({ kind: 'nearest-neighbours', peers: 5, organisationKind: 'gp_practice', attributes: ['list_size'], within: { attribute: 'trust_type', category: 'teaching' } })).toBe(
      'its 5 most similar practices by list size within its trust type (teaching)',
    );
    expect(peerGroupWords({ kind: 'set', name: 'Mid-size acute' })).toBe('the peer set “Mid-size acute”');
  });

  it('puts the group after "for its size" in a finding and a persistence sentence', () => {
    const indicator = { name: 'Readmissions', unit: '%', multiplier: 100, measureKind: 'proportion' as const };
    const finding = findingSentence({ organisationName: 'Fenwick NHS Trust', indicator, value: 12.3, side: 'above', outside95: 2, periods: 4, granularity: 'quarter', peerGroup: 'its 10 most similar trusts by beds' });
    expect(finding).toBe("Fenwick NHS Trust's readmissions, 12.3 %, is above the 99.8 % limit for its size against its 10 most similar trusts by beds, and has been outside 95 % in 2 of the last 4 quarters.");
    const persistent = persistenceSentence({ organisationName: 'Fenwick NHS Trust', indicator, value: 12.3, side: 'above', periods: 4, granularity: 'quarter', beyond998: false, peerGroup: 'the peer set “A”' });
    expect(persistent).toContain('above the 95 % limit for its size against the peer set “A” in each of the last 4 quarters');
  });
});
