import type { MethodVerdict } from './method-sensitivity';
import type { IndicatorDefinition } from './types';

export type PeriodGranularity = 'month' | 'quarter' | 'financial_year' | 'calendar_year' | 'rolling_12_months' | 'rolling_36_months' | 'other';

/** The numbers a finding states; the sentence says nothing that is not one of these. */
export interface FindingFacts {
  organisationName: string;
  indicator: Pick<IndicatorDefinition, 'name' | 'unit' | 'multiplier' | 'measureKind'>;
  /** On the display scale. */
  value: number;
  /** Which 99.8 % limit the value lies beyond. */
  side: 'above' | 'below';
  /** In how many of the last `periods` periods the provider sat outside its 95 % limits. */
  outside95: number;
  periods: number;
  granularity: PeriodGranularity;
  /** The provider's verdict under every method of the sweep (method-sensitivity.ts): said when they differ. */
  methodVerdicts?: readonly MethodVerdict[];
  /** Judged against a peer group rather than all providers: the group in words (`peerGroupWords`). */
  peerGroup?: string;
}

const twoPlaces = (indicator: FindingFacts['indicator']) => indicator.measureKind === 'indirectly_standardised_ratio' && indicator.multiplier === 1;

/**
 * A value as the indicator publishes it: per cent to 1 decimal place ("48.7 %"), ratios of 1 to 2 places
 * ("1.62"), rates, means and ratios per 100 to 1 place followed by their unit ("23.4 per 100,000 bed days").
 */
export function formatIndicatorValue(value: number, indicator: FindingFacts['indicator']): string {
  const places = twoPlaces(indicator) ? 2 : 1;
  const number = value.toLocaleString('en-GB', { minimumFractionDigits: places, maximumFractionDigits: places });
  if (indicator.unit === '%') return `${number} %`;
  if (indicator.measureKind === 'indirectly_standardised_ratio' || indicator.unit === 'ratio' || indicator.unit === '') return number;
  return `${number} ${indicator.unit}`;
}

const periodNouns: Partial<Record<PeriodGranularity, string>> = { quarter: 'quarters', month: 'months' };

/**
 * One plain-English sentence for a provider beyond the 99.8 % funnel limit, built only from the figures:
 * "Marrowmere … Trust's hospital mortality ratio, 1.62, is above the 99.8 % limit for its size, and has been
 * outside 95 % in 4 of the last 4 quarters." It names no cause and makes no judgement beyond the limits.
 */
export function findingSentence(facts: FindingFacts): string {
  const head = `${resultSubject(facts.organisationName, facts.indicator)}, ${formatIndicatorValue(facts.value, facts.indicator)}, is ${facts.side} the 99.8 % limit for its size${against(facts.peerGroup)}`;
  // With one period there is no history to report.
  const sentence = facts.periods <= 1 ? `${head}.` : `${head}, and has been outside 95 % in ${facts.outside95} of the last ${facts.periods} ${periodNouns[facts.granularity] ?? 'periods'}.`;
  const sensitivity = facts.methodVerdicts ? methodSensitivitySentence(facts.methodVerdicts) : null;
  return sensitivity ? `${sentence} ${sensitivity}` : sentence;
}

/**
 * What a method-sensitive verdict depends on, or null when every method agrees: "It is beyond the 99.8 % limit
 * under φ but not under τ² or without adjustment." A family of methods (φ, τ², SHMI τ²) is named whole when all
 * its trimmings agree, else with the trimmings that put the provider beyond ("under τ² at 20 % trimming"), the
 * others then summed up as "other trimmings".
 */
export function methodSensitivitySentence(verdicts: readonly MethodVerdict[], subject = 'It'): string | null {
  const families = [...new Set(verdicts.map((verdict) => verdict.family))].map((family) => {
    const members = verdicts.filter((verdict) => verdict.family === family);
    return { family, members, beyond: members.filter((verdict) => verdict.verdict !== 'as-expected') };
  });
  const phrase = (family: string) => (family === 'no adjustment' ? 'without adjustment' : `under ${family}`);
  const beyond = families.flatMap(({ family, members, beyond }) => {
    if (beyond.length === 0) return [];
    if (beyond.length === members.length) return [phrase(family)];
    return [`${phrase(family)} at ${listed(beyond.map((verdict) => String(Math.round(verdict.trimFraction! * 100))), 'and')} % trimming`];
  });
  const split = families.some(({ members, beyond }) => beyond.length > 0 && beyond.length < members.length);
  const within = [...families.filter(({ beyond }) => beyond.length === 0).map(({ family }) => phrase(family)), ...(split ? ['at other trimmings'] : [])];
  if (beyond.length === 0 || within.length === 0) return null;
  return `${subject} is beyond the 99.8 % limit ${listed(beyond, 'and')} but not ${listed(within, 'or')}.`;
}

/** "Marrowmere … Trust's hospital mortality ratio": the subject of a sentence about one provider's result. */
export function resultSubject(organisationName: string, indicator: Pick<IndicatorDefinition, 'name'>): string {
  return `${possessive(organisationName)} ${lowerFirst(indicator.name)}`;
}

/** The facts of a persistent outlier: outside the same 95 % limit in each of the last `periods` periods. */
export interface PersistenceFacts extends Pick<FindingFacts, 'organisationName' | 'indicator' | 'value' | 'side' | 'granularity' | 'peerGroup'> {
  periods: number;
  /** Whether the latest value is also beyond the 99.8 % limit. */
  beyond998: boolean;
}

/** "Fenwick NHS Trust's readmissions has been above the 95 % limit for its size in each of the last 4 quarters; it is 31.2 % now, within the 99.8 % limit." */
export function persistenceSentence(facts: PersistenceFacts): string {
  const now = `it is ${formatIndicatorValue(facts.value, facts.indicator)} now, ${facts.beyond998 ? 'beyond' : 'within'} the 99.8 % limit`;
  return `${resultSubject(facts.organisationName, facts.indicator)} has been ${facts.side} the 95 % limit for its size${against(facts.peerGroup)} in each of the last ${facts.periods} ${periodNouns[facts.granularity] ?? 'periods'}; ${now}.`;
}

const against = (peerGroup: string | undefined) => (peerGroup ? ` against ${peerGroup}` : '');

const kindPlurals: Record<string, string> = { trust: 'trusts', site: 'sites', gp_practice: 'practices', icb: 'ICBs', region: 'regions' };
const attributeWords = (name: string) => name.replace(/_/g, ' ');

/** A peer group as a benchmark names itself: a saved set by name, nearest neighbours by how many, of what kind, on which attributes. */
export type PeerGroupDescription =
  | { kind: 'set'; name: string }
  | { kind: 'nearest-neighbours'; peers: number; organisationKind: string; attributes: readonly string[]; within: { attribute: string; category: string | null | undefined } | null };

/**
 * The peer group in words, for "… for its size against …": "its 10 most similar trusts by beds and deprivation
 * decile", "… within its trust type (teaching)", or "the peer set “Mid-size acute”".
 */
export function peerGroupWords(group: PeerGroupDescription): string {
  if (group.kind === 'set') return `the peer set “${group.name}”`;
  const kind = kindPlurals[group.organisationKind] ?? 'organisations';
  const within = group.within ? ` within its ${attributeWords(group.within.attribute)} (${attributeWords(group.within.category ?? 'none')})` : '';
  const most = group.peers === 1 ? `its most similar ${kind.replace(/s$/, '')}` : `its ${group.peers} most similar ${kind}`;
  return `${most} by ${listed(group.attributes.map(attributeWords), 'and')}${within}`;
}

function listed(items: readonly string[], conjunction: 'and' | 'or'): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${conjunction} ${items.at(-1)}`;
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** "Hospital mortality ratio" → "hospital mortality ratio", but "A&E attendances" and "HbA1c …" keep their capitals. */
function lowerFirst(name: string): string {
  return /^[A-Z][a-z]/.test(name) ? name[0].toLowerCase() + name.slice(1) : name;
}
