import type { AttributePoint, AttributeSegment } from './attribute-chart';
import { assuranceCategory, type AssuranceCategory } from './assurance-category';
import type { SegmentOptions } from './chart-segments';
import { pPrimeChart, uPrimeChart } from './laney-chart';
import { pChart } from './p-chart';
import { specialCauseRules, type SpecialCauseOptions, type SpecialCauseResult } from './special-cause-rules';
import type { ImprovementDirection, LimitedPoint, SpcSegment } from './types';
import { uChart } from './u-chart';
import { variationCategory, type VariationCategory } from './variation-category';
import { xmrChart, type XmrSegment } from './xmr-chart';

export interface SpcCommonOptions extends SegmentOptions, SpecialCauseOptions {
  /** A fixed target for the assurance icon. */
  target?: number;
}

export type SpcChartInput =
  | ({ kind: 'xmr'; values: readonly number[]; screenMovingRanges?: boolean } & SpcCommonOptions)
  | ({ kind: 'p' | 'u' | 'pprime' | 'uprime'; numerators: readonly number[]; denominators: readonly number[] } & SpcCommonOptions);

export type SpcPoint = LimitedPoint & Partial<Pick<AttributePoint, 'numerator' | 'denominator'>> & SpecialCauseResult;

/** The conventions applied, with defaults filled in, so an output names its method. */
export interface SpcSettings {
  kind: SpcChartInput['kind'];
  improvementDirection: ImprovementDirection;
  baselineLength: number | null;
  rebaseAt: readonly number[];
  screenMovingRanges: boolean | null;
  trendLength: number;
  runLength: number;
  twoOfThreeCountsBeyondLimits: boolean;
  target: number | null;
}

export interface SpcChart {
  settings: SpcSettings;
  segments: (SpcSegment | XmrSegment | AttributeSegment)[];
  points: SpcPoint[];
  variation: VariationCategory;
  /** `null` without a target, for a neutral measure, or when the last point has no limits. */
  assurance: AssuranceCategory | null;
}

/**
 * One statistical process control chart as Making Data Count (NHS England / Improvement 2019,
 * revised November 2023) reads it: limits from `xmrChart`, `pChart`, `uChart` or Laney's `pPrimeChart` and
 * `uPrimeChart`, each point
 * judged by `specialCauseRules`, the variation icon from the last point and the assurance icon
 * from the target against the last point's limits. Defaults follow NHSRplotthedots 0.2.2
 * (screened moving ranges, trends and runs of 7, "two of three" within the band only) except the
 * improvement direction, which defaults to neutral rather than assuming increase is better.
 */
export function spcChart(input: SpcChartInput): SpcChart {
  const chart = input.kind === 'xmr' ? xmrChart(input.values, input) : attributeCharts[input.kind](input.numerators, input.denominators, input);
  const settings: SpcSettings = {
    kind: input.kind,
    improvementDirection: input.improvementDirection ?? 'neutral',
    baselineLength: input.baselineLength ?? null,
    rebaseAt: input.rebaseAt ?? [],
    screenMovingRanges: input.kind === 'xmr' ? (input.screenMovingRanges ?? true) : null,
    trendLength: input.trendLength ?? 7,
    runLength: input.runLength ?? 7,
    twoOfThreeCountsBeyondLimits: input.twoOfThreeCountsBeyondLimits ?? false,
    target: input.target ?? null,
  };
  const results = specialCauseRules(chart.points, settings);
  const points = chart.points.map((point: LimitedPoint | AttributePoint, i) => spcPoint(point, results[i]));
  const last = points[points.length - 1];
  return {
    settings,
    segments: chart.segments,
    points,
    variation: variationCategory(points),
    assurance:
      settings.target === null
        ? null
        : assuranceCategory({ target: settings.target, lowerLimit: last.lowerLimit, upperLimit: last.upperLimit, improvementDirection: settings.improvementDirection }),
  };
}

const attributeCharts = { p: pChart, u: uChart, pprime: pPrimeChart, uprime: uPrimeChart };

/** Written out rather than spread: two spreads per point cost more than the whole chart (10,000 points ~35 ms). */
function spcPoint(point: LimitedPoint | AttributePoint, result: SpecialCauseResult): SpcPoint {
  const { index, value, segment, centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma } = point;
  const { rule, rulesMet, direction, specialCause, pointType } = result;
  if (!('numerator' in point)) {
    return { index, value, segment, centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma, rule, rulesMet, direction, specialCause, pointType };
  }
  const { numerator, denominator } = point;
  return { index, value, numerator, denominator, segment, centre, lowerLimit, upperLimit, lowerTwoSigma, upperTwoSigma, rule, rulesMet, direction, specialCause, pointType };
}
