import { describe, expect, it } from 'vitest';
import { networkChance, persistenceChance } from './network-chance';

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

describe('persistenceChance', () => {
  it('Binomial(pairs, 2 × 0.025^k): R qbinom(c(0.025, 0.975), 1000, 0.00125) = 0, 4 and qbinom(…, 200000, 7.8125e-7) = 0, 1', () => {
    const two = persistenceChance(1000, 3, 2);
    expect(two.probability).toBeCloseTo(0.00125, 15);
    expect(two.expected).toBeCloseTo(1.25, 12);
    expect([two.lower, two.upper, two.judged, two.observed, two.periods]).toEqual([0, 4, 1000, 3, 2]);
    const four = persistenceChance(200_000, 0, 4);
    expect(four.probability).toBeCloseTo(7.8125e-7, 18);
    expect([four.lower, four.upper]).toEqual([0, 1]);
  });
});
