import { findingSentence, type PeriodGranularity } from './finding-sentence';
import { isOutlier, isOutside95, type PeerFunnel } from './peer-funnel';
import type { IndicatorDefinition } from './types';

/** One period of the window a finding looks back over, oldest first; the last is the period examined. */
export interface WindowPeriod {
  period: { label: string; granularity: PeriodGranularity };
  peer: PeerFunnel;
}

export interface VariationFinding {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
  value: number;
  z: number;
  /** z after the overdispersion adjustment: what the ranking uses, so indicators with different φ compare fairly. */
  adjustedZ: number;
  band: string;
  /** better / worse, or higher / lower for an indicator without a polarity. */
  judgement: string;
  /** Which 99.8 % limit the value lies beyond. */
  side: 'above' | 'below';
  persistence: {
    /** Periods of the window in which the provider sat outside its 95 % limits. */
    outside95: number;
    /** Periods in which it reported figures that were judged (not suppressed, on a funnel). */
    judged: number;
    periods: string[];
  };
  sentence: string;
}

/**
 * The network members beyond the 99.8 % limit of the funnel across all providers in the window's last period
 * (after the overdispersion adjustment that funnel used), each with how often it sat outside 95 % in the
 * window and a sentence stating those numbers. Suppressed providers carry no judgement and are never found.
 */
export function variationFindings(indicator: IndicatorDefinition, window: readonly WindowPeriod[], members: ReadonlySet<string>): VariationFinding[] {
  const latest = window.at(-1);
  if (!latest?.peer.available) return [];
  return latest.peer.funnel.providers
    .filter((provider) => members.has(provider.code) && isOutlier(provider))
    .map((provider): VariationFinding => {
      const judged = window.filter(({ peer }) => peer.available && peer.providers.get(provider.code)?.judgement != null);
      const outside95 = judged.filter(({ peer }) => peer.available && isOutside95(peer.providers.get(provider.code))).length;
      const side = provider.band!.startsWith('above') ? 'above' : 'below';
      return {
        indicator: indicator.code,
        organisation: { code: provider.code, name: provider.name },
        period: latest.period.label,
        value: provider.value!,
        z: provider.z!,
        adjustedZ: provider.adjustedZ!,
        band: provider.band!,
        judgement: provider.judgement!,
        side,
        persistence: { outside95, judged: judged.length, periods: window.map(({ period }) => period.label) },
        sentence: findingSentence({
          organisationName: provider.name,
          indicator,
          value: provider.value!,
          side,
          outside95,
          periods: window.length,
          granularity: latest.period.granularity,
        }),
      };
    });
}

/**
 * Largest |adjusted z| first: the providers furthest from their peers in standard errors that include the
 * between-provider variation, comparable across indicators whatever their overdispersion. Ties by indicator, then code.
 */
export function rankFindings(findings: readonly VariationFinding[]): VariationFinding[] {
  return [...findings].sort(
    (a, b) => Math.abs(b.adjustedZ) - Math.abs(a.adjustedZ) || a.indicator.localeCompare(b.indicator) || a.organisation.code.localeCompare(b.organisation.code),
  );
}
