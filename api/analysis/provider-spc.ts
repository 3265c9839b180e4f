import { assuranceCategory, attributeChartChoice, spcChart, StatsInputError, type AssuranceCategory, type AttributeChartChoice, type ImprovementDirection, type SpcChartInput } from '../stats';
import type { PeriodPeerBenchmark } from './peer-benchmark';
import { targetInForce, type PeriodTarget } from './target-in-force';
import type { IndicatorDefinition, ObservationFigures } from './types';

/** One period of a provider's series, oldest first. */
export interface SeriesObservation extends ObservationFigures {
  period: string;
  startDate: string;
  endDate: string;
  /** Withheld by disclosure control: no figures, so no part in any centre, limit or rule. */
  suppressed: boolean;
}

/** The charts a series can be drawn on: p and p′ for a proportion, u and u′ for a rate or ratio, XmR for any. */
export type SpcChartKind = SpcChartInput['kind'];

export interface ProviderSpcOptions {
  /** The chart asked for; by default the measure kind's (`spcKind`), p′/u′ when `attributeChartChoice` finds overdispersion. */
  chart?: SpcChartKind;
  /** The indicator's dated standards (`indicatorTargetList`): each point carries the one in force at its period's end. */
  targets?: readonly PeriodTarget[];
  /** Fix the limits on the first n points of each segment; all points when absent. */
  baselineLength?: number;
  /** Period labels at which a new segment (with its own limits) starts. */
  rebaseAt?: readonly string[];
  screenMovingRanges?: boolean;
  trendLength?: number;
  runLength?: number;
  twoOfThreeCountsBeyondLimits?: boolean;
  /**
   * A peer group's pooled value in each period (by period label; `periodPeerBenchmark`, the provider never among
   * the peers): assurance is then judged against it rather than against the target.
   */
  peers?: ReadonlyMap<string, PeriodPeerBenchmark>;
}

/** A chart that cannot be drawn; `parameter` names the request parameter at fault, if one is. */
export class SpcNotAvailableError extends Error {
  override name = 'SpcNotAvailableError';
  constructor(
    message: string,
    readonly parameter?: 'baseline' | 'rebase' | 'chart',
  ) {
    super(message);
  }
}

const improvementDirections = { higher_is_better: 'increase', lower_is_better: 'decrease', no_judgement: 'neutral' } as const;

/**
 * The chart a measure kind takes (Making Data Count): a p-chart of numerators over denominators for a
 * proportion, a u-chart for a crude rate and for an indirectly standardised ratio (observed events per
 * expected event), and an XmR chart of the published values of directly standardised rates and means, whose
 * counts are not published.
 */
export function spcKind(measureKind: IndicatorDefinition['measureKind']): 'p' | 'u' | 'xmr' {
  if (measureKind === 'proportion') return 'p';
  return measureKind === 'crude_rate' || measureKind === 'indirectly_standardised_ratio' ? 'u' : 'xmr';
}

function countsOf(kind: SpcChartKind, indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>, row: ObservationFigures) {
  const [numerator, denominator] = indicator.measureKind === 'indirectly_standardised_ratio' ? [row.observed, row.expected] : [row.numerator, row.denominator];
  const counted = numerator !== null && denominator !== null && denominator > 0;
  if (kind !== 'xmr') return counted ? { numerator, denominator } : null;
  // XmR of a counted measure charts its published value, or the value of its counts where none is published (a network's pooled counts).
  if (row.value !== null) return { value: row.value };
  return spcKind(indicator.measureKind) !== 'xmr' && counted ? { value: (numerator / denominator) * indicator.multiplier } : null;
}

const chartsOf = { p: ['p', 'pprime', 'xmr'], u: ['u', 'uprime', 'xmr'], xmr: ['xmr'] } as const;
const chartNames = { p: 'a p-chart', pprime: "a Laney p′ chart", u: 'a u-chart', uprime: "a Laney u′ chart", xmr: 'an XmR chart' } as const;
const measureNames = { proportion: 'a proportion', crude_rate: 'a rate', indirectly_standardised_ratio: 'a ratio', directly_standardised_rate: 'a directly standardised rate', mean: 'a mean' } as const;

const scaled = (value: number | null, scale: number) => (value === null ? null : value * scale);

/**
 * A provider's series over time as a statistical process control chart (`spcChart`), on the indicator's
 * display scale, with the improvement direction from its polarity. The chart is the one asked for, else the
 * measure kind's, with Laney's p′/u′ when `attributeChartChoice` finds the counts overdispersed (named in
 * `settings.chartChoice`). Each point carries the target in force at its period's end (`targetInForce`), and
 * assurance is judged against the one in force at the last point. Periods without the figures the chart needs
 * are left out and listed. A suppressed period is charted as missing: it takes no part in any centre, limit,
 * rule or chart choice, whatever segments are asked for, and is shown as a point with no value in the segment
 * it falls in.
 */
export function providerSpc(indicator: IndicatorDefinition & { source?: string | null }, series: readonly SeriesObservation[], options: ProviderSpcOptions) {
  const family = spcKind(indicator.measureKind);
  const requested = options.chart;
  if (requested !== undefined && !(chartsOf[family] as readonly SpcChartKind[]).includes(requested)) {
    throw new SpcNotAvailableError(`chart: ${measureNames[indicator.measureKind]} can be drawn as ${chartsOf[family].join(', ')}, not ${requested}`, 'chart');
  }
  // The family's counts decide which periods can be charted, so the default choice sees the series it would draw.
  let kind: SpcChartKind = requested ?? family;
  const usable = series.filter((row) => !row.suppressed && countsOf(kind, indicator, row) !== null);
  const excluded = series
    .filter((row) => !row.suppressed && !usable.includes(row))
    .map((row) => ({ period: row.period, reason: kind === 'xmr' ? 'no published value' : 'no counts' }));
  const minimum = kind === 'xmr' || kind === 'pprime' || kind === 'uprime' ? 2 : 1;
  if (usable.length < minimum) {
    throw new SpcNotAvailableError(`${chartNames[kind]} needs at least ${minimum} period(s) with figures; this series has ${usable.length}`);
  }
  const rebaseAt = [...new Set(options.rebaseAt ?? [])].map((label) => {
    if (series.some((row) => row.period === label && row.suppressed)) {
      throw new SpcNotAvailableError(`rebase: "${label}" is suppressed (small numbers), so no segment can start there; choose a later period`, 'rebase');
    }
    const index = usable.findIndex((row) => row.period === label);
    if (index < 1) throw new SpcNotAvailableError(`rebase: "${label}" is not a period of the series after its first`, 'rebase');
    return index;
  });
  rebaseAt.sort((a, b) => a - b);
  const baseline = options.baselineLength;
  if (baseline !== undefined && (baseline < minimum || baseline > usable.length)) {
    throw new SpcNotAvailableError(`baseline: must be between ${minimum} and the ${usable.length} periods of the series`, 'baseline');
  }
  let chartChoice: (Omit<AttributeChartChoice, 'chart'> & { chart: SpcChartKind; requested: boolean }) | { chart: SpcChartKind; rule: null; sigmaZ: null; threshold: null; requested: boolean };
  if (requested === undefined && family !== 'xmr') {
    const counted = usable.map((row) => countsOf(family, indicator, row)!);
    const choice = attributeChartChoice(family === 'p' ? 'proportion' : 'rate', counted.map((count) => count.numerator!), counted.map((count) => count.denominator!), { baselineLength: baseline, rebaseAt });
    kind = choice.chart;
    chartChoice = { ...choice, requested: false };
  } else chartChoice = { chart: kind, rule: null, sigmaZ: null, threshold: null, requested: requested !== undefined };
  // Attribute charts work on the natural scale (0.72, not 72 %); XmR values are on the display scale.
  const scale = kind === 'xmr' ? 1 : indicator.multiplier;
  const targets = options.targets ?? [];
  const targetOf = (row: SeriesObservation) => targetInForce({ target: indicator.target, source: indicator.source ?? null }, targets, row.endDate);
  const lastTarget = targetOf(usable[usable.length - 1]);
  const common = {
    baselineLength: baseline,
    rebaseAt,
    trendLength: options.trendLength,
    runLength: options.runLength,
    twoOfThreeCountsBeyondLimits: options.twoOfThreeCountsBeyondLimits,
    improvementDirection: improvementDirections[indicator.polarity],
    target: lastTarget === null ? undefined : lastTarget.value / scale,
  };
  const counts = usable.map((row) => countsOf(kind, indicator, row)!);
  const input: SpcChartInput =
    kind === 'xmr'
      ? { kind, values: counts.map((count) => count.value!), screenMovingRanges: options.screenMovingRanges, ...common }
      : { kind, numerators: counts.map((count) => count.numerator!), denominators: counts.map((count) => count.denominator!), ...common };
  let chart;
  try {
    chart = spcChart(input);
  } catch (error) {
    if (error instanceof StatsInputError) throw new SpcNotAvailableError(error.message);
    throw error;
  }
  const charted = chart.points.map((point, i) => {
    const row = usable[i];
    return {
      period: row.period,
      startDate: row.startDate,
      endDate: row.endDate,
      segment: point.segment,
      suppressed: false,
      value: scaled(point.value, scale),
      // Observed and expected counts for a ratio; none on an XmR chart.
      numerator: point.numerator ?? null,
      denominator: point.denominator ?? null,
      centre: point.centre * scale,
      lowerLimit: scaled(point.lowerLimit, scale),
      upperLimit: scaled(point.upperLimit, scale),
      lowerTwoSigma: scaled(point.lowerTwoSigma, scale),
      upperTwoSigma: scaled(point.upperTwoSigma, scale),
      rule: point.rule,
      rulesMet: point.rulesMet,
      direction: point.direction,
      specialCause: point.specialCause,
      pointType: point.pointType,
      target: targetOf(row)?.value ?? null,
      ...(options.peers && { peers: peerPoint(options.peers.get(row.period), scaled(point.lowerLimit, scale), scaled(point.upperLimit, scale), common.improvementDirection) }),
    };
  });
  // A suppressed period sits in the segment of the charted point before it (or the first), under that centre.
  const points: ((typeof charted)[number] | (ReturnType<typeof suppressedPoint> & { peers?: PeerPoint }))[] = [];
  let next = 0;
  for (const row of series) {
    if (next < usable.length && row === usable[next]) points.push(charted[next++]);
    else if (row.suppressed) {
      const point = suppressedPoint(row, charted[Math.max(0, next - 1)], targetOf(row)?.value ?? null);
      points.push(options.peers ? { ...point, peers: withheldPeerPoint(options.peers.get(row.period)) } : point);
    }
  }
  // Against peers, the icon is the last charted point's judgement against that period's peer benchmark, as the target's is.
  const lastPeers = charted.at(-1)?.peers;
  return {
    kind,
    settings: {
      ...chart.settings,
      chartChoice,
      target: lastTarget?.value ?? null,
      targets: targetChanges(series, targetOf),
      rebasePeriods: rebaseAt.map((index) => usable[index].period),
      multiplier: indicator.multiplier,
    },
    segments: chart.segments.map((segment) => ({ ...segment, centre: segment.centre * scale, startPeriod: usable[segment.start].period })),
    points,
    variation: chart.variation,
    assurance: lastPeers ? lastPeers.assurance : chart.assurance,
    assuranceAgainst: options.peers ? ('peers' as const) : ('target' as const),
    ...(lastPeers && { peerAssurance: { period: charted.at(-1)!.period, category: lastPeers.assurance, reason: lastPeers.reason } }),
    excluded,
  };
}

/** A period's peer benchmark on the chart: its pooled value and, where it can be judged, the assurance icon against it. */
export interface PeerPoint {
  value: number | null;
  published: number;
  withheld: number;
  assurance: AssuranceCategory | null;
  /** Why the period's assurance is not judged; null when it is. */
  reason: string | null;
}

const noPeersReported = 'no peer reported this period';

/**
 * Making Data Count's assurance with the peers' pooled value in the place of the target (`assuranceCategory`):
 * beyond the provider's process limits on the better side it is consistently passed, on the worse side
 * consistently failed, between them hit and miss. Not judged, with the reason, without a benchmark (fewer than
 * the minimum published peers), without limits, or for an indicator with no better direction.
 */
function peerPoint(peer: PeriodPeerBenchmark | undefined, lowerLimit: number | null, upperLimit: number | null, improvementDirection: ImprovementDirection): PeerPoint {
  if (!peer) return { value: null, published: 0, withheld: 0, assurance: null, reason: noPeersReported };
  const counts = { published: peer.published, withheld: peer.withheld };
  if (!peer.available) return { value: null, ...counts, assurance: null, reason: peer.reason };
  const judged = { value: peer.value, ...counts };
  if (improvementDirection === 'neutral') return { ...judged, assurance: null, reason: 'the indicator has no better direction, so the peer benchmark cannot be passed or failed' };
  if (lowerLimit === null || upperLimit === null) return { ...judged, assurance: null, reason: 'the point has no process limits (a segment of one period)' };
  return { ...judged, assurance: assuranceCategory({ target: peer.value, lowerLimit, upperLimit, improvementDirection }), reason: null };
}

/** A withheld period: the peers' benchmark is still theirs to show, but the provider has no limits to judge against it. */
function withheldPeerPoint(peer: PeriodPeerBenchmark | undefined): PeerPoint {
  if (!peer) return { value: null, published: 0, withheld: 0, assurance: null, reason: noPeersReported };
  return { value: peer.available ? peer.value : null, published: peer.published, withheld: peer.withheld, assurance: null, reason: peer.available ? "the provider's figure is withheld (small numbers)" : peer.reason };
}

/** Where the target in force changes along the series: the first period and the value, kind and source from it on. */
function targetChanges(series: readonly SeriesObservation[], targetOf: (row: SeriesObservation) => ReturnType<typeof targetInForce>) {
  const changes: { fromPeriod: string; value: number | null; kind: string | null; source: string | null }[] = [];
  for (const row of series) {
    const target = targetOf(row);
    const value = target?.value ?? null;
    if (changes.length === 0 || changes[changes.length - 1].value !== value) {
      changes.push({ fromPeriod: row.period, value, kind: target?.kind ?? null, source: target?.source ?? null });
    }
  }
  return changes;
}

function suppressedPoint(row: SeriesObservation, neighbour: { segment: number; centre: number }, target: number | null) {
  return {
    period: row.period,
    startDate: row.startDate,
    endDate: row.endDate,
    segment: neighbour.segment,
    suppressed: true,
    value: null,
    numerator: null,
    denominator: null,
    centre: neighbour.centre,
    lowerLimit: null,
    upperLimit: null,
    lowerTwoSigma: null,
    upperTwoSigma: null,
    rule: null,
    rulesMet: [],
    direction: null,
    specialCause: null,
    pointType: null,
    target,
  };
}
