import { requireInput } from '../errors';

/** Where rebasing splits a series and how many leading points of each part form its baseline. */
export interface SegmentOptions {
  /** Indices at which a new segment starts (a rebase after a known change). */
  rebaseAt?: readonly number[];
  /** Fix the limits on the first n points of each segment ("fix after n points"); all points when absent. */
  baselineLength?: number;
}

export interface SegmentBounds {
  start: number;
  end: number;
  baselineLength: number;
}

/**
 * Splits a series of `length` points into rebase segments, each with its baseline length, as
 * NHSRplotthedots 0.2.2 does (`cumsum(rebase)` groups, `row_number() <= fix_after_n_points`
 * within each group) and Making Data Count (2019) recommends for recalculating limits after a
 * sustained change. A segment shorter than the baseline uses all its points (trial limits).
 * `minimumBaseline` is 2 for XmR (one moving range needs two points) and 1 for p and u charts.
 */
export function chartSegments(
  length: number,
  options: SegmentOptions,
  functionName: string,
  minimumBaseline: number,
): SegmentBounds[] {
  const rebaseAt = options.rebaseAt ?? [];
  requireInput(
    rebaseAt.every((index, i) => Number.isInteger(index) && index > 0 && index < length && (i === 0 || index > rebaseAt[i - 1])),
    functionName,
    'rebase indices that are increasing integers between 1 and the last index',
  );
  const baseline = options.baselineLength;
  if (baseline !== undefined) {
    requireInput(
      Number.isInteger(baseline) && baseline >= minimumBaseline,
      functionName,
      `a baseline length that is an integer of at least ${minimumBaseline}`,
    );
    requireInput(baseline <= length, functionName, 'a baseline no longer than the series');
  }
  const starts = [0, ...rebaseAt];
  return starts.map((start, i) => {
    const end = i + 1 < starts.length ? starts[i + 1] : length;
    return { start, end, baselineLength: Math.min(end - start, baseline ?? Infinity) };
  });
}
