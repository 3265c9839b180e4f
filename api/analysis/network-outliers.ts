/** A dated membership of a network, as stored: valid from its first day up to, not including, valid_to. */
export interface DatedMembership {
  networkCode: string;
  organisationCode: string;
  validFrom: string;
  validTo: string | null;
}

/** One indicator's current funnel: the end of the period examined and the providers beyond its 99.8 % limit. */
export interface IndicatorOutliers {
  indicator: string;
  periodEnd: string;
  /** Every provider reporting the indicator in the period (the peer group). */
  reporting: ReadonlySet<string>;
  outliers: ReadonlySet<string>;
}

export interface NetworkOutlierCount {
  /** Members that reported any of the indicators in its current period. */
  reportingProviders: number;
  /** Members beyond 99.8 % on at least one indicator. */
  outlyingProviders: number;
  /** Member × indicator pairs beyond 99.8 %. */
  outlyingResults: number;
}

const memberOn = (membership: DatedMembership, date: string) =>
  membership.validFrom <= date && (membership.validTo === null || membership.validTo > date);

/**
 * For each network, how many of its members are significant outliers now: each indicator's current funnel is
 * drawn across all providers, and a provider counts for a network when it was a member on the last day of that
 * indicator's period (memberships change, and each period is judged with the members it had then).
 */
export function networkOutlierCounts(memberships: readonly DatedMembership[], indicators: readonly IndicatorOutliers[]): Map<string, NetworkOutlierCount> {
  const counts = new Map<string, { reporting: Set<string>; outlying: Set<string>; results: number }>();
  for (const membership of memberships) {
    const count = counts.get(membership.networkCode) ?? { reporting: new Set(), outlying: new Set(), results: 0 };
    counts.set(membership.networkCode, count);
    for (const indicator of indicators) {
      if (!indicator.reporting.has(membership.organisationCode) || !memberOn(membership, indicator.periodEnd)) continue;
      count.reporting.add(membership.organisationCode);
      if (indicator.outliers.has(membership.organisationCode)) {
        count.outlying.add(membership.organisationCode);
        count.results += 1;
      }
    }
  }
  return new Map(
    [...counts].map(([network, count]) => [network, { reportingProviders: count.reporting.size, outlyingProviders: count.outlying.size, outlyingResults: count.results }]),
  );
}
