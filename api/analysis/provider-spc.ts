import { spcChart, StatsInputError, type SpcChartInput } from '../stats';
import type { IndicatorDefinition, ObservationFigures } from './types';

/** One period of a provider's series, oldest first. */
export interface SeriesObservation extends ObservationFigures {
  period: string;
  startDate: string;
  endDate: string;
  /** Withheld by disclosure control: no figures, so no part in any centre, limit or rule. */
  suppressed: boolean;
}

export interface ProviderSpcOptions {
  /** Fix the limits on the first n points of each segment; all points when absent. */
  baselineLength?: number;
  /** Period labels at which a new segment (with its own limits) starts. */
  rebaseAt?: readonly string[];
  screenMovingRanges?: boolean;
  trendLength?: number;
  runLength?: number;
  twoOfThreeCountsBeyondLimits?: boolean;
}

/** A chart that cannot be drawn; `parameter` names the request parameter at fault, if one is. */
export class SpcNotAvailableError extends Error {
  override name = 'SpcNotAvailableError';
  constructor(
    message: string,
    readonly parameter?: 'baseline' | 'rebase',
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
export function spcKind(measureKind: IndicatorDefinition['measureKind']): SpcChartInput['kind'] {
  if (measureKind === 'proportion') return 'p';
  return measureKind === 'crude_rate' || measureKind === 'indirectly_standardised_ratio' ? 'u' : 'xmr';
}

function countsOf(kind: SpcChartInput['kind'], indicator: Pick<IndicatorDefinition, 'measureKind'>, row: ObservationFigures) {
  if (kind === 'xmr') return row.value === null ? null : { value: row.value };
  const [numerator, denominator] = indicator.measureKind === 'indirectly_standardised_ratio' ? [row.observed, row.expected] : [row.numerator, row.denominator];
  return numerator === null || denominator === null ? null : { numerator, denominator };
}

const scaled = (value: number | null, scale: number) => (value === null ? null : value * scale);

/**
 * A provider's series over time as a statistical process control chart (`spcChart`), on the indicator's
 * display scale, with the improvement direction from its polarity and its target (if any) for assurance.
 * Periods without the figures the chart needs are left out and listed. A suppressed period is charted as
 * missing: it takes no part in any centre, limit or rule, whatever segments are asked for, and is shown as a
 * point with no value in the segment it falls in.
 */
export function providerSpc(indicator: IndicatorDefinition, series: readonly SeriesObservation[], options: ProviderSpcOptions) {
  const kind = spcKind(indicator.measureKind);
  const usable = series.filter((row) => !row.suppressed && countsOf(kind, indicator, row) !== null);
  const excluded = series
    .filter((row) => !row.suppressed && !usable.includes(row))
    .map((row) => ({ period: row.period, reason: kind === 'xmr' ? 'no published value' : 'no counts' }));
  const minimum = kind === 'xmr' ? 2 : 1;
  if (usable.length < minimum) {
    throw new SpcNotAvailableError(`${kind === 'xmr' ? 'an XmR chart' : `a ${kind}-chart`} needs at least ${minimum} period(s) with figures; this series has ${usable.length}`);
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
  // p- and u-charts work on the natural scale (0.72, not 72 %); XmR values are published on the display scale.
  const scale = kind === 'xmr' ? 1 : indicator.multiplier;
  const common = {
    baselineLength: baseline,
    rebaseAt,
    trendLength: options.trendLength,
    runLength: options.runLength,
    twoOfThreeCountsBeyondLimits: options.twoOfThreeCountsBeyondLimits,
    improvementDirection: improvementDirections[indicator.polarity],
    target: indicator.target === null ? undefined : indicator.target / scale,
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
    };
  });
  // A suppressed period sits in the segment of the charted point before it (or the first), under that centre.
  const points: ((typeof charted)[number] | ReturnType<typeof suppressedPoint>)[] = [];
  let next = 0;
  for (const row of series) {
    if (next < usable.length && row === usable[next]) points.push(charted[next++]);
    else if (row.suppressed) points.push(suppressedPoint(row, charted[Math.max(0, next - 1)]));
  }
  return {
    kind,
    settings: {
      ...chart.settings,
      target: indicator.target,
      rebasePeriods: rebaseAt.map((index) => usable[index].period),
      multiplier: indicator.multiplier,
    },
    segments: chart.segments.map((segment) => ({ ...segment, centre: segment.centre * scale, startPeriod: usable[segment.start].period })),
    points,
    variation: chart.variation,
    assurance: chart.assurance,
    excluded,
  };
}

function suppressedPoint(row: SeriesObservation, neighbour: { segment: number; centre: number }) {
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
  };
}
