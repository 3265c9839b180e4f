import { describe, expect, it } from 'vitest';
import { changeSentence, digestChance } from './change-sentence';

const base = { indicator: { code: 'VA-X', name: 'Readmissions' }, period: '2025/26 Q1', organisation: { code: 'RZA', name: 'Alpha Trust' }, revision: true, verdictFlipped: true };

describe('changeSentence', () => {
  it('names the provider, the indicator, the period and the move between bands', () => {
    expect(changeSentence({ ...base, change: 'entered', before: { band: 'within', judgement: 'as-expected' }, after: { band: 'above-99.8', judgement: 'worse' } })).toBe(
      'Alpha Trust (RZA) on Readmissions in 2025/26 Q1: now above the 99.8 % limit, worse than expected after revised figures (was within the 95 % limits).',
    );
  });
  it('says when a provider is no longer judged, without a figure', () => {
    expect(changeSentence({ ...base, change: 'left', revision: false, before: { band: 'below-95', judgement: 'as-expected' }, after: { band: null, judgement: null } })).toBe(
      'Alpha Trust (RZA) on Readmissions in 2025/26 Q1: now not judged (no published figures) (was below the 95 % limit).',
    );
  });
  it('names persistent outliers', () => {
    expect(changeSentence({ ...base, change: 'persistent_new', before: { band: null, judgement: null }, after: { band: null, judgement: null } })).toContain('now a persistent outlier');
  });
});

describe('digestChance', () => {
  it('sets the outliers beside Binomial(n, 0.002): 500 judged gives 1 expected, qbinom(c(.025,.975), 500, .002) = 0, 3', () => {
    const chance = digestChance(2, 12, 500, 4);
    expect(chance.expected).toBeCloseTo(1, 12);
    expect([chance.lower, chance.upper]).toEqual([0, 3]);
    expect(chance.sentence).toBe('2 of 12 measures changed. On them 4 of 500 results are beyond 99.8 %; about 1 expected by chance alone (range 0–3).');
  });
});
