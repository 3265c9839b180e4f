import { judgementOfSide, type Polarity } from '../stats';
import { findingSentence, methodSensitivitySentence, persistenceSentence, resultSubject, type PeriodGranularity } from './finding-sentence';
import type { FunnelProvider } from './indicator-funnel';
import type { MethodVerdict, ProviderSensitivity } from './method-sensitivity';
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
  /** The verdict at 99.8 % under every method the product offers; robust when they all agree. */
  methodSensitivity: MethodSensitivityOf;
  sentence: string;
}

export interface MethodSensitivityOf {
  robust: boolean;
  verdicts: MethodVerdict[];
}

/** A member outside the same 95 % limit in each of the last k periods, whether or not beyond 99.8 % now. */
export interface PersistentOutlier {
  indicator: string;
  organisation: { code: string; name: string };
  /** The latest of the k periods. */
  period: string;
  periods: string[];
  side: 'above' | 'below';
  /** The side as the indicator's polarity reads it: worse / better, or higher / lower. */
  judgement: string;
  value: number;
  adjustedZ: number;
  /** Whether the latest value is also beyond the 99.8 % limit (and so among the findings). */
  beyond998: boolean;
  sentence: string;
}

/** A member whose latest verdict changes with the method: beyond 99.8 % under some methods and not others. */
export interface MethodSensitiveMember {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
  /** Under the method of the view. */
  judgement: string;
  adjustedZ: number;
  verdicts: MethodVerdict[];
  sentence: string;
}

/**
 * The network members beyond the 99.8 % limit of the funnel across all providers in the window's last period
 * (after the overdispersion adjustment that funnel used), each with how often it sat outside 95 % in the
 * window and a sentence stating those numbers. Suppressed providers carry no judgement and are never found.
 * A window of a provider's own peer-group funnels (`providerPeerFunnel`) judges it against its peers, and
 * `peerGroup` names them in the sentence.
 */
export function variationFindings(
  indicator: IndicatorDefinition, window: readonly WindowPeriod[], members: ReadonlySet<string>, sensitivity: ReadonlyMap<string, ProviderSensitivity>, peerGroup?: string,
): VariationFinding[] {
  const latest = window.at(-1);
  if (!latest?.peer.available) return [];
  return latest.peer.funnel.providers
    .filter((provider) => members.has(provider.code) && isOutlier(provider))
    .map((provider): VariationFinding => {
      const judged = window.filter(({ peer }) => peer.available && peer.providers.get(provider.code)?.judgement != null);
      const outside95 = judged.filter(({ peer }) => peer.available && isOutside95(peer.providers.get(provider.code))).length;
      const side = provider.band!.startsWith('above') ? 'above' : 'below';
      const methods = sensitivity.get(provider.code);
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
        methodSensitivity: { robust: methods?.robust ?? true, verdicts: methods?.verdicts ?? [] },
        sentence: findingSentence({
          organisationName: provider.name,
          indicator,
          value: provider.value!,
          side,
          outside95,
          periods: window.length,
          granularity: latest.period.granularity,
          methodVerdicts: methods?.verdicts,
          peerGroup,
        }),
      };
    });
}

/**
 * The members outside the same 95 % limit (both times above, or both below) in each of the last k periods of
 * the window, whether or not they are beyond 99.8 % in the latest: a provider that never reaches the alarm
 * limit but never comes back inside the alert limit is a persistent outlier (Spiegelhalter 2005, Stat Med
 * 24:1185, on alert and alarm limits). A period in which the provider was suppressed or had no funnel breaks the run.
 */
export function persistentOutliers(indicator: IndicatorDefinition, window: readonly WindowPeriod[], members: ReadonlySet<string>, k: number, peerGroup?: string): PersistentOutlier[] {
  const last = window.slice(-k);
  const latest = last.at(-1);
  if (last.length < k || !latest?.peer.available) return [];
  const polarity = indicator.polarity.replace(/_/g, '-') as Polarity;
  return latest.peer.funnel.providers.flatMap((provider): PersistentOutlier[] => {
    if (!members.has(provider.code)) return [];
    const sides = last.map(({ peer }) => sideOutside95(peer.available ? peer.providers.get(provider.code) : undefined));
    const side = sides[0];
    if (side === null || sides.some((other) => other !== side)) return [];
    return [
      {
        indicator: indicator.code,
        organisation: { code: provider.code, name: provider.name },
        period: latest.period.label,
        periods: last.map(({ period }) => period.label),
        side,
        judgement: judgementOfSide(side === 'above' ? 'higher' : 'lower', polarity),
        value: provider.value!,
        adjustedZ: provider.adjustedZ!,
        beyond998: isOutlier(provider),
        sentence: persistenceSentence({
          organisationName: provider.name,
          indicator,
          value: provider.value!,
          side,
          periods: k,
          granularity: latest.period.granularity,
          beyond998: isOutlier(provider),
          peerGroup,
        }),
      },
    ];
  });
}

function sideOutside95(provider: Pick<FunnelProvider, 'band'> | undefined): 'above' | 'below' | null {
  if (!isOutside95(provider)) return null;
  return provider!.band!.startsWith('above') ? 'above' : 'below';
}

/** The members judged on the latest funnel whose verdict is method-sensitive, flagged under the view's method or not. */
export function methodSensitiveMembers(
  indicator: IndicatorDefinition, latest: WindowPeriod, members: ReadonlySet<string>, sensitivity: ReadonlyMap<string, ProviderSensitivity>,
): MethodSensitiveMember[] {
  if (!latest.peer.available) return [];
  return latest.peer.funnel.providers.flatMap((provider): MethodSensitiveMember[] => {
    const methods = sensitivity.get(provider.code);
    if (!members.has(provider.code) || !methods || methods.robust) return [];
    return [
      {
        indicator: indicator.code,
        organisation: { code: provider.code, name: provider.name },
        period: latest.period.label,
        judgement: provider.judgement!,
        adjustedZ: provider.adjustedZ!,
        verdicts: methods.verdicts,
        sentence: methodSensitivitySentence(methods.verdicts, resultSubject(provider.name, indicator))!,
      },
    ];
  });
}

/** Worse than expected, or higher / lower on an indicator without a polarity: what a board must look at. */
export const isConcern = (judgement: string) => judgement === 'worse' || judgement === 'higher' || judgement === 'lower';

/**
 * Concerns first (worse than expected, or higher / lower on an indicator without a polarity), then
 * better-than-expected results, so the first finding is never a reassurance; within each, largest |adjusted z|
 * first: the providers furthest from their peers in standard errors that include the between-provider
 * variation, comparable across indicators whatever their overdispersion. Ties by indicator, then code.
 */
export function rankFindings<F extends Pick<VariationFinding, 'judgement' | 'adjustedZ' | 'indicator' | 'organisation'>>(findings: readonly F[]): F[] {
  return [...findings].sort(
    (a, b) =>
      Number(isConcern(b.judgement)) - Number(isConcern(a.judgement)) ||
      Math.abs(b.adjustedZ) - Math.abs(a.adjustedZ) ||
      a.indicator.localeCompare(b.indicator) ||
      a.organisation.code.localeCompare(b.organisation.code),
  );
}
