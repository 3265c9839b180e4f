import { requireInput } from '../errors';
import { classifySignal, type PointClassification, type SignalDirection } from './point-type';
import type { ImprovementDirection, LimitedPoint } from './types';

/** The Making Data Count rules, in precedence order: a point is reported under the first it meets. */
export const SPECIAL_CAUSE_RULES = ['outside_limits', 'trend', 'two_of_three', 'run'] as const;
export type SpecialCauseRule = (typeof SPECIAL_CAUSE_RULES)[number];

export type RulePoint = Pick<LimitedPoint, 'value' | 'segment' | 'centre' | 'lowerLimit' | 'upperLimit' | 'lowerTwoSigma' | 'upperTwoSigma'>;

export interface SpecialCauseOptions {
  /** Default `neutral`: a measure states which way is better; the engine does not assume it. */
  improvementDirection?: ImprovementDirection;
  /** Points in a strictly rising or falling trend (default 7, as NHSRplotthedots and MDC 2019). */
  trendLength?: number;
  /** Points on one side of the centre (default 7). */
  runLength?: number;
  /**
   * Let points beyond the limits count towards "two of three" (the November 2023 MDC revision).
   * Default `false`: only the band between two and three sigma counts, as in NHSRplotthedots 0.2.2.
   */
  twoOfThreeCountsBeyondLimits?: boolean;
}

export interface SpecialCauseResult extends PointClassification {
  /** The highest-precedence rule met, or `null` for common cause. */
  rule: SpecialCauseRule | null;
  /** Every rule met, in precedence order. */
  rulesMet: SpecialCauseRule[];
  /** Side of the reported rule: above / increasing is `high`. */
  direction: SignalDirection | null;
}

type Signals = (SignalDirection | null)[];

/**
 * The Making Data Count special-cause rules (NHS England / Improvement 2019, revised November
 * 2023), as NHSRplotthedots 0.2.2 (`ptd_special_cause_type`) applies them:
 * (1) a point outside the limits; (2) every point of a trend of `trendLength` values each strictly
 * above (below) the previous — a tie breaks it; (3) the points in the two-to-three-sigma band of
 * any three consecutive points of which at least two are in the band and all three strictly on
 * one side of the centre; (4) every point of a run of `runLength` on one side — a point on the
 * centre breaks it. Rules run within a rebase segment only. A trend point shared by a rise and a
 * fall (a peak) takes the later trend's direction, as upstream does.
 *
 * Degenerate cases: a series shorter than a rule needs cannot meet it; with limits collapsed onto
 * the centre (all baseline values identical) any value off the centre is outside the limits and
 * values on it are common cause; `null` limits (one-point segment) meet no limit-based rule.
 */
export function specialCauseRules(points: readonly RulePoint[], options: SpecialCauseOptions = {}): SpecialCauseResult[] {
  const trendLength = options.trendLength ?? 7;
  const runLength = options.runLength ?? 7;
  requireInput(Number.isInteger(trendLength) && trendLength >= 2, 'specialCauseRules', 'a trend length that is an integer of at least 2');
  requireInput(Number.isInteger(runLength) && runLength >= 2, 'specialCauseRules', 'a run length that is an integer of at least 2');

  const signals: Record<SpecialCauseRule, Signals> = {
    outside_limits: points.map(outsideLimits),
    trend: points.map(() => null),
    two_of_three: points.map(() => null),
    run: points.map(() => null),
  };
  for (const [start, end] of segmentRanges(points)) {
    markTrends(points, start, end, trendLength, signals.trend);
    markTwoOfThree(points, start, end, options.twoOfThreeCountsBeyondLimits ?? false, signals.two_of_three);
    markRuns(points, start, end, runLength, signals.run);
  }

  const improvementDirection = options.improvementDirection ?? 'neutral';
  return points.map((_, i) => {
    const rulesMet: SpecialCauseRule[] = [];
    for (const rule of SPECIAL_CAUSE_RULES) if (signals[rule][i] !== null) rulesMet.push(rule);
    const rule = rulesMet.length > 0 ? rulesMet[0] : null;
    const direction = rule === null ? null : signals[rule][i];
    const { specialCause, pointType } = classifySignal(direction, improvementDirection);
    return { rule, rulesMet, direction, specialCause, pointType };
  });
}

function sideOfCentre(point: RulePoint): SignalDirection | null {
  if (point.value > point.centre) return 'high';
  return point.value < point.centre ? 'low' : null;
}

function outsideLimits(point: RulePoint): SignalDirection | null {
  if (point.upperLimit !== null && point.value > point.upperLimit) return 'high';
  return point.lowerLimit !== null && point.value < point.lowerLimit ? 'low' : null;
}

function beyondTwoSigma(point: RulePoint): boolean {
  return (
    (point.upperTwoSigma !== null && point.value > point.upperTwoSigma) ||
    (point.lowerTwoSigma !== null && point.value < point.lowerTwoSigma)
  );
}

/** [start, end) of each run of consecutive points in the same segment. */
function segmentRanges(points: readonly RulePoint[]): [number, number][] {
  const ranges: [number, number][] = [];
  let start = 0;
  for (let i = 1; i <= points.length; i++) {
    if (i === points.length || points[i].segment !== points[start].segment) {
      ranges.push([start, i]);
      start = i;
    }
  }
  return ranges;
}

function markTrends(points: readonly RulePoint[], start: number, end: number, length: number, marks: Signals): void {
  // Count consecutive strict rises (falls) ending at each point; a window of `length` points
  // needs length − 1 of them. A trend's first window marks all its points (overwriting, so a peak
  // belongs to the fall after it) and each later window only its new point: O(n) however long the trend.
  let rises = 0;
  let falls = 0;
  for (let i = start + 1; i < end; i++) {
    const step = points[i].value - points[i - 1].value;
    rises = step > 0 ? rises + 1 : 0;
    falls = step < 0 ? falls + 1 : 0;
    if (rises === length - 1) marks.fill('high', i - length + 1, i + 1);
    else if (rises > length - 1) marks[i] = 'high';
    if (falls === length - 1) marks.fill('low', i - length + 1, i + 1);
    else if (falls > length - 1) marks[i] = 'low';
  }
}

function markTwoOfThree(points: readonly RulePoint[], start: number, end: number, countBeyond: boolean, marks: Signals): void {
  const near: boolean[] = [];
  const sides: Signals = [];
  for (let i = start; i < end; i++) {
    near.push(beyondTwoSigma(points[i]) && (countBeyond || outsideLimits(points[i]) === null));
    sides.push(sideOfCentre(points[i]));
  }
  for (let w = 0; w + 2 < near.length; w++) {
    const side = sides[w];
    if (side === null || sides[w + 1] !== side || sides[w + 2] !== side) continue;
    if (Number(near[w]) + Number(near[w + 1]) + Number(near[w + 2]) < 2) continue;
    for (let k = w; k < w + 3; k++) if (near[k]) marks[start + k] = side;
  }
}

function markRuns(points: readonly RulePoint[], start: number, end: number, length: number, marks: Signals): void {
  let runStart = start;
  for (let i = start; i <= end; i++) {
    const side = i < end ? sideOfCentre(points[i]) : null;
    if (i < end && side !== null && side === sideOfCentre(points[runStart])) continue;
    const runSide = sideOfCentre(points[runStart]);
    if (runSide !== null && i - runStart >= length) marks.fill(runSide, runStart, i);
    runStart = i;
  }
}
