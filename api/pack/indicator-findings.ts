import { formatIndicatorValue } from '../analysis/finding-sentence';
import { variationLabels } from '../charts';
import type { AssuranceCategory } from '../stats';
import { outliersByChance } from '../stats/chance';
import type { IndicatorJson, NetworkMeasureJson, NetworkSpcJson, PackFunnelJson, PeriodGranularity, ProviderSpcSummary, VariationFindingJson } from './api-json';

/** Everything one indicator's findings are written from: the API's answers for the pack's parameters. */
export interface IndicatorFindingInputs {
  funnel: PackFunnelJson;
  /** The network's providers beyond 99.8 % on this indicator, ranked, as the variation finder states them. */
  outliers: readonly VariationFindingJson[];
  measure: NetworkMeasureJson;
  /** null when the network's series cannot be charted. */
  networkSpc: NetworkSpcJson | null;
  /** The outliers' own SPC charts. */
  outlierSpc: readonly ProviderSpcSummary[];
  granularity: PeriodGranularity;
  /** The network's providers outside the same 95 % limit in each of the last k periods, as the variation finder lists them. */
  persistent?: readonly PersistentOutlierJson[];
}

/** One entry of the variation finder's `persistent` list. */
export interface PersistentOutlierJson {
  indicator: string;
  organisation: { code: string; name: string };
  periods: string[];
  side: 'above' | 'below';
  beyond998: boolean;
  sentence: string;
}

/** How the network's members sit on the funnel of all providers. */
export interface MemberCounts {
  /** Members on the funnel with a judgement. */
  judged: number;
  within: number;
  above: number;
  below: number;
  /** Members whose figures are withheld as small numbers. */
  suppressed: number;
  /** Every provider on the funnel, the network's and the others. */
  all: number;
}

export function memberCounts(funnel: Pick<PackFunnelJson, 'providers'>): MemberCounts {
  const members = funnel.providers.filter((provider) => provider.inNetwork === true);
  const judged = members.filter((provider) => provider.judgement !== null);
  const beyond = judged.filter((provider) => provider.judgement !== 'as-expected');
  const above = beyond.filter((provider) => provider.band?.startsWith('above')).length;
  return {
    judged: judged.length,
    within: judged.length - beyond.length,
    above,
    below: beyond.length - above,
    suppressed: members.filter((provider) => provider.suppressed).length,
    all: funnel.providers.length,
  };
}

/** Outlier sentences in one finding, at most this many before "n more". */
const outliersNamed = 3;

const periodNouns: Partial<Record<PeriodGranularity, string>> = { quarter: 'quarters', month: 'months' };
const chartNames: Record<string, string> = { p: 'p-chart', u: 'u-chart', xmr: 'XmR chart' };
/** Making Data Count's assurance icons as a verb phrase before "the … target". */
const assuranceVerbs: Record<AssuranceCategory, string> = { consistent_pass: 'will consistently pass', consistent_fail: 'will consistently fail', inconsistent: 'will hit and miss' };
const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);
const lowerFirst = (text: string) => text[0].toLowerCase() + text.slice(1);

/**
 * Three to six plain-English findings for one indicator, each stating only numbers the API returned: how many
 * of the network's providers lie within the 99.8 % limits, beside how many chance alone would put beyond them;
 * the outliers with direction, persistence and, when their verdict depends on the method, which methods; the
 * persistent outliers still within 99.8 %; the network's pooled value against all providers'; the overdispersion
 * and what the limits did with it; and what the network's SPC chart (and the outliers' own) shows. No cause is
 * named and nothing is judged beyond the limits.
 */
export function indicatorFindings(inputs: IndicatorFindingInputs): string[] {
  return [
    withinLimitsFinding(memberCounts(inputs.funnel)),
    outliersFinding(inputs.outliers),
    persistentFinding(inputs.persistent ?? []),
    pooledFinding(inputs.funnel.indicator, inputs.measure),
    overdispersionFinding(inputs.funnel),
    spcFinding(inputs.funnel.indicator, inputs.networkSpc, inputs.outlierSpc, inputs.granularity),
  ].filter((finding): finding is string => finding !== null);
}

export function withinLimitsFinding(counts: MemberCounts): string {
  const beyond = counts.above + counts.below;
  const beyondText = beyond === 0 ? 'none lies beyond them' : `${beyond} ${plural(beyond, 'lies', 'lie')} beyond them (${counts.above} above, ${counts.below} below)`;
  const withheld = counts.suppressed === 0 ? '' : ` A further ${counts.suppressed} ${plural(counts.suppressed, 'is', 'are')} withheld as small numbers.`;
  const head = `${counts.within} of the network's ${counts.judged} ${plural(counts.judged, 'provider', 'providers')} on the funnel of all ${counts.all} providers ${plural(counts.within, 'lies', 'lie')} within its 99.8 % limits; ${beyondText}.`;
  return `${head}${counts.judged === 0 ? '' : ` ${chanceText(beyond, counts.judged)}`}${withheld}`;
}

/**
 * "2 of 19 results beyond 99.8 %; about 0.04 expected by chance (range 0–0)": the count beside Binomial(judged,
 * 0.002), its mean and central 95 % range (outliersByChance), so a reader sees how many chance alone would flag.
 */
export function chanceText(beyond: number, judged: number): string {
  const chance = outliersByChance(judged, 0.998);
  const expected = chance.expected.toLocaleString('en-GB', { maximumSignificantDigits: 2 });
  return `${beyond} of ${judged} ${plural(judged, 'result', 'results')} beyond 99.8 %; about ${expected} expected by chance (range ${chance.lower}–${chance.upper}).`;
}

/** The persistent outliers not already among the outliers (still within 99.8 % now), at most three named. */
export function persistentFinding(persistent: readonly PersistentOutlierJson[]): string | null {
  const within = persistent.filter((one) => !one.beyond998);
  if (within.length === 0) return null;
  const named = within.slice(0, outliersNamed).map((one) => one.sentence);
  const more = within.length - named.length;
  return [...named, ...(more > 0 ? [`${more} more ${plural(more, 'is', 'are')} persistently outside 95 %.`] : [])].join(' ');
}

export function outliersFinding(outliers: readonly VariationFindingJson[]): string | null {
  if (outliers.length === 0) return null;
  const named = outliers.slice(0, outliersNamed).map((outlier) => outlier.sentence);
  const more = outliers.length - named.length;
  return [...named, ...(more > 0 ? [`${more} more ${plural(more, 'is', 'are')} listed in the summary.`] : [])].join(' ');
}

export function pooledFinding(indicator: IndicatorJson, measure: NetworkMeasureJson): string | null {
  const { pooled, all } = measure;
  if (pooled.value === null || all.value === null) return null;
  const value = (number: number) => formatIndicatorValue(number, indicator);
  const interval = pooled.lower === null || pooled.upper === null ? '' : ` (95 % interval ${intervalText(pooled.lower, pooled.upper, indicator)})`;
  const head = `The network's pooled value, ${value(pooled.value)}${interval},`;
  if (pooled.providers === all.providers && pooled.value === all.value) return `${head} is the value across all ${all.providers} providers: every provider reporting is a member.`;
  if (pooled.lower !== null && all.value < pooled.lower) return `${head} is higher than the value across all ${all.providers} providers, ${value(all.value)}.`;
  if (pooled.upper !== null && all.value > pooled.upper) return `${head} is lower than the value across all ${all.providers} providers, ${value(all.value)}.`;
  return `${head} is in line with the value across all ${all.providers} providers, ${value(all.value)}, which lies within that interval.`;
}

/** "71.3 to 73.0 %": the unit once, after the upper end. */
export function intervalText(lower: number, upper: number, indicator: IndicatorJson): string {
  return `${formatIndicatorValue(lower, { ...indicator, unit: '' })} to ${formatIndicatorValue(upper, indicator)}`;
}

const pText = (p: number) => (p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`);

export function overdispersionFinding(funnel: Pick<PackFunnelJson, 'overdispersion' | 'method'>): string {
  const { phi, tau2, pValue, applied } = funnel.overdispersion;
  const phiText = `φ = ${phi.toFixed(2)}`;
  const spread =
    phi <= 1
      ? `Providers vary no more than chance alone explains (${phiText})`
      : pValue < 0.05
        ? `Providers vary more than chance alone explains (${phiText}, ${pText(pValue)})`
        : `Providers vary a little more than chance alone would (${phiText}), though not significantly (${pText(pValue)})`;
  if (funnel.method.adjustment === 'none') return `${spread}; the limits are not adjusted for overdispersion, as asked.`;
  if (!applied) return `${spread}, so the limits are not adjusted.`;
  if (funnel.method.adjustment === 'additive') return `${spread}; the limits allow for a between-provider variance τ² = ${tau2.toPrecision(3)} (additive random effects).`;
  return `${spread}; the limits are widened by √φ (multiplicative adjustment).`;
}

export function spcFinding(
  indicator: IndicatorJson,
  chart: NetworkSpcJson | null,
  outlierSpc: readonly ProviderSpcSummary[],
  granularity: PeriodGranularity,
): string | null {
  if (chart === null) return null;
  const shown = chart.points.filter((point) => point.value !== null);
  const special = shown.filter((point) => point.specialCause !== null).length;
  const noun = periodNouns[granularity] ?? 'periods';
  const head = `Over the last ${chart.points.length} ${noun} the network's pooled value (${chartNames[chart.kind] ?? chart.kind})`;
  const variation =
    chart.variation === 'common_cause'
      ? special === 0
        ? `${head} shows common cause variation only: no point signals a special cause`
        : `${head} shows common cause variation at its latest point; ${special} of ${shown.length} points signal a special cause`
      : `${head} shows ${lowerFirst(variationLabels[chart.variation])} at its latest point; ${special} of ${shown.length} points signal a special cause`;
  const target = chart.assurance && indicator.target !== null ? `; it ${assuranceVerbs[chart.assurance]} the ${formatIndicatorValue(indicator.target, indicator)} target` : '';
  const outliers = outlierSpc.filter((summary) => summary.variation !== 'common_cause');
  const own = outliers.length === 0 ? '' : ` ${outliers.map((summary) => `${summary.organisation.name}'s own chart shows ${lowerFirst(variationLabels[summary.variation])}`).join('; ')}.`;
  return `${variation}${target}.${own}`;
}
