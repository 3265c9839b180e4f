import { describe, expect, it } from 'vitest';
import { networkOutlierCounts, type DatedMembership } from './network-outliers';

const member = (networkCode: string, organisationCode: string, validFrom = '2020-01-01', validTo: string | null = null): DatedMembership => ({
  networkCode,
  organisationCode,
  validFrom,
  validTo,
});

describe('networkOutlierCounts', () => {
  const indicators = [
    { indicator: 'SHMI', periodEnd: '2024-03-31', reporting: new Set(['A', 'B', 'C', 'D']), outliers: new Set(['A', 'D']) },
    { indicator: 'READM', periodEnd: '2024-06-30', reporting: new Set(['A', 'B', 'C']), outliers: new Set(['A', 'B']) },
  ];

  it('counts distinct outlying members and every outlying member × indicator pair', () => {
    const counts = networkOutlierCounts([member('N1', 'A'), member('N1', 'B'), member('N1', 'C')], indicators);
    expect(counts.get('N1')).toEqual({ reportingProviders: 3, outlyingProviders: 2, outlyingResults: 3 });
  });

  it("judges each indicator with the members on its own period's last day (valid_to exclusive)", () => {
    // B left on 2024-06-30, so it is not a member at the end of READM's period; D joined after SHMI's.
    const counts = networkOutlierCounts([member('N2', 'B', '2020-01-01', '2024-06-30'), member('N2', 'D', '2024-04-01')], indicators);
    expect(counts.get('N2')).toEqual({ reportingProviders: 1, outlyingProviders: 0, outlyingResults: 0 });
  });

  it('gives a network whose members report nothing zero counts rather than leaving it out', () => {
    expect(networkOutlierCounts([member('N3', 'Z')], indicators).get('N3')).toEqual({ reportingProviders: 0, outlyingProviders: 0, outlyingResults: 0 });
  });
});
