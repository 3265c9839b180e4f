import { describe, expect, it } from 'vitest';
import { byConcernShare, networkOutlierCounts, type DatedMembership } from './network-outliers';

const member = (networkCode: string, organisationCode: string, validFrom = '2020-01-01', validTo: string | null = null): DatedMembership => ({
  networkCode,
  organisationCode,
  validFrom,
  validTo,
});

describe('networkOutlierCounts', () => {
  // SHMI: A worse, D better; READM (no polarity): A and B beyond the limit, which gives concern either way. C is withheld on SHMI.
  const indicators = [
    { indicator: 'SHMI', periodEnd: '2024-03-31', reporting: new Set(['A', 'B', 'C', 'D']), judged: new Set(['A', 'B', 'D']), concerns: new Set(['A']), better: new Set(['D']) },
    { indicator: 'READM', periodEnd: '2024-06-30', reporting: new Set(['A', 'B', 'C']), judged: new Set(['A', 'B', 'C']), concerns: new Set(['A', 'B']), better: new Set<string>() },
  ];

  it('counts members giving concern apart from those doing better, each with their member × indicator results', () => {
    const counts = networkOutlierCounts([member('N1', 'A'), member('N1', 'B'), member('N1', 'C'), member('N1', 'D')], indicators);
    expect(counts.get('N1')).toMatchObject({ reportingProviders: 4, providersOfConcern: 2, concernShare: 0.5, concernResults: 3, providersBetter: 1, betterResults: 1 });
  });

  it('hands the chance context only the judged members, and flags both sides', () => {
    const counts = networkOutlierCounts([member('N1', 'A'), member('N1', 'C'), member('N1', 'D')], indicators);
    expect(counts.get('N1')!.judgedIndicators).toEqual([
      { judged: ['A', 'D'], flagged: ['A', 'D'] },
      { judged: ['A', 'C'], flagged: ['A'] },
    ]);
  });

  it("judges each indicator with the members on its own period's last day (valid_to exclusive)", () => {
    // B left on 2024-06-30, so it is not a member at the end of READM's period; D joined after SHMI's.
    const counts = networkOutlierCounts([member('N2', 'B', '2020-01-01', '2024-06-30'), member('N2', 'D', '2024-04-01')], indicators);
    expect(counts.get('N2')).toMatchObject({ reportingProviders: 1, providersOfConcern: 0, concernShare: 0, providersBetter: 0 });
  });

  it('gives a network whose members report nothing zero counts and no share rather than leaving it out', () => {
    expect(networkOutlierCounts([member('N3', 'Z')], indicators).get('N3')).toMatchObject({ reportingProviders: 0, providersOfConcern: 0, concernShare: null });
  });
});

describe('byConcernShare', () => {
  it('puts 6 of 13 giving concern above 22 of 339, and a network without reporting members last', () => {
    const networks = [
      { name: 'ICB', concernShare: 22 / 339, providersOfConcern: 22 },
      { name: 'Nobody reporting', concernShare: null, providersOfConcern: 0 },
      { name: 'Major trauma', concernShare: 6 / 13, providersOfConcern: 6 },
      { name: 'Cancer alliance (also 6 of 13)', concernShare: 6 / 13, providersOfConcern: 6 },
    ];
    expect([...networks].sort(byConcernShare).map(({ name }) => name)).toEqual(['Cancer alliance (also 6 of 13)', 'Major trauma', 'ICB', 'Nobody reporting']);
  });
});
