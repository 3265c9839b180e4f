import { describe, expect, it } from 'vitest';
import { funnelJudgement } from './judgement';

const limit = { coverage: 0.998, lower: 0.8, upper: 1.2 };

describe('funnelJudgement', () => {
  it('applies polarity: above is better only when higher is better', () => {
    expect(funnelJudgement(1.3, limit, 'higher-is-better')).toBe('better');
    expect(funnelJudgement(1.3, limit, 'lower-is-better')).toBe('worse');
    expect(funnelJudgement(0.7, limit, 'higher-is-better')).toBe('worse');
    expect(funnelJudgement(0.7, limit, 'lower-is-better')).toBe('better');
  });

  it('says higher / lower where the indicator has no polarity', () => {
    expect(funnelJudgement(1.3, limit, 'no-judgement')).toBe('higher');
    expect(funnelJudgement(0.7, limit, 'no-judgement')).toBe('lower');
  });

  it('is as expected inside or on the limit (limits inclusive)', () => {
    expect(funnelJudgement(1.2, limit, 'higher-is-better')).toBe('as-expected');
    expect(funnelJudgement(0.8, limit, 'no-judgement')).toBe('as-expected');
  });
});
