import { describe, expect, it } from 'vitest';
import { networkChance } from './network-chance';

describe('networkChance', () => {
  it('sums judged and flagged results over indicators and groups members by how many indicators judge them', () => {
    const chance = networkChance(
      [
        { judged: ['A', 'B', 'C'], flagged: ['A'] },
        { judged: ['A', 'B'], flagged: [] },
        { judged: ['A'], flagged: ['A'] },
      ],
      0.998,
    );
    expect([chance.judged, chance.observed]).toEqual([6, 2]);
    // 6 × 0.002 = 0.012 expected; qbinom(c(0.025, 0.975), 6, 0.002) = 0, 0 (P(X = 0) = 0.998⁶ = 0.98806 ≥ 0.975).
    expect(chance.expected).toBeCloseTo(0.012, 12);
    expect([chance.lower, chance.upper]).toEqual([0, 0]);
    // C on 1, B on 2, A on 3: 1 − 0.998^k = 0.002, 0.003996, 0.005988008.
    expect(chance.atLeastOnce.map(({ indicators, providers }) => [indicators, providers])).toEqual([[1, 1], [2, 1], [3, 1]]);
    [0.002, 0.003996, 0.005988008].forEach((p, i) => expect(chance.atLeastOnce[i].probability).toBeCloseTo(p, 12));
  });

  it('nothing judged: nothing expected and no members listed', () => {
    expect(networkChance([], 0.998)).toMatchObject({ judged: 0, observed: 0, expected: 0, lower: 0, upper: 0, atLeastOnce: [] });
  });
});
