import type { JudgedIndicator } from './network-chance';

/** A dated membership of a network, as stored: valid from its first day up to, not including, valid_to. */
export interface DatedMembership {
  networkCode: string;
  organisationCode: string;
  validFrom: string;
  validTo: string | null;
}

/** One indicator's current funnel: the end of the period examined, who was judged on it and which way they fell beyond its 99.8 % limit. */
export interface IndicatorOutliers {
  indicator: string;
  periodEnd: string;
  /** Every provider reporting the indicator in the period (the peer group), withheld ones included. */
  reporting: ReadonlySet<string>;
  /** Providers with published figures judged on an available funnel; withheld providers are never judged. */
  judged: ReadonlySet<string>;
  /** Beyond 99.8 % on the side that gives concern: worse than expected, or either side for an indicator without a polarity. */
  concerns: ReadonlySet<string>;
  /** Beyond 99.8 % and better than expected. */
  better: ReadonlySet<string>;
}

export interface NetworkOutlierCount {
  /** Members that reported any of the indicators in its current period. */
  reportingProviders: number;
  /** Members giving concern (worse than expected, or higher/lower without a polarity) on at least one indicator. */
  providersOfConcern: number;
  /** providersOfConcern ÷ reportingProviders; null for a network none of whose members report. */
  concernShare: number | null;
  /** Member × indicator pairs giving concern. */
  concernResults: number;
  /** Members better than expected on at least one indicator. */
  providersBetter: number;
  /** Member × indicator pairs better than expected. */
  betterResults: number;
  /** Per indicator, the members judged and those beyond 99.8 % either way: the input of `networkChance`. */
  judgedIndicators: JudgedIndicator[];
}

const memberOn = (membership: DatedMembership, date: string) =>
  membership.validFrom <= date && (membership.validTo === null || membership.validTo > date);

/**
 * For each network, how many of its members give concern now and how many do better than expected: each
 * indicator's current funnel is drawn across all providers, and a provider counts for a network when it was a
 * member on the last day of that indicator's period (memberships change, and each period is judged with the
 * members it had then). Concern and better are kept apart so a network of good performers is not ranked as a problem.
 */
export function networkOutlierCounts(memberships: readonly DatedMembership[], indicators: readonly IndicatorOutliers[]): Map<string, NetworkOutlierCount> {
  const byNetwork = new Map<string, DatedMembership[]>();
  for (const membership of memberships) byNetwork.set(membership.networkCode, [...(byNetwork.get(membership.networkCode) ?? []), membership]);
  return new Map(
    [...byNetwork].map(([network, members]) => {
      const reporting = new Set<string>();
      const ofConcern = new Set<string>();
      const better = new Set<string>();
      let concernResults = 0;
      let betterResults = 0;
      const judgedIndicators = indicators.map((indicator) => {
        const current = new Set(members.filter((membership) => memberOn(membership, indicator.periodEnd)).map((membership) => membership.organisationCode));
        for (const code of current) {
          if (!indicator.reporting.has(code)) continue;
          reporting.add(code);
          if (indicator.concerns.has(code)) {
            ofConcern.add(code);
            concernResults += 1;
          }
          if (indicator.better.has(code)) {
            better.add(code);
            betterResults += 1;
          }
        }
        const judged = [...current].filter((code) => indicator.judged.has(code));
        return { judged, flagged: judged.filter((code) => indicator.concerns.has(code) || indicator.better.has(code)) };
      });
      const count: NetworkOutlierCount = {
        reportingProviders: reporting.size,
        providersOfConcern: ofConcern.size,
        concernShare: reporting.size === 0 ? null : ofConcern.size / reporting.size,
        concernResults,
        providersBetter: better.size,
        betterResults,
        judgedIndicators,
      };
      return [network, count] as const;
    }),
  );
}

/** Networks most in need of a look first: the largest share of members giving concern, then the most such members, then by name. */
export function byConcernShare<T extends { name: string; concernShare: number | null; providersOfConcern: number }>(a: T, b: T): number {
  return (b.concernShare ?? -1) - (a.concernShare ?? -1) || b.providersOfConcern - a.providersOfConcern || a.name.localeCompare(b.name);
}
