/**
 * Shared shapes of the statistical process control engine (NHS England / Improvement
 * "Making Data Count", 2019, revised November 2023; NHSRplotthedots 0.2.2).
 */

/** Which way is better for the measure. `neutral` means neither: signals are reported as high or low only. */
export type ImprovementDirection = 'increase' | 'decrease' | 'neutral';

/**
 * The lines drawn for one point. A limit is `null` when it cannot be estimated: an XmR segment
 * whose baseline is a single point has no moving range, so no measure of spread.
 */
export interface ControlLimits {
  centre: number;
  lowerLimit: number | null;
  upperLimit: number | null;
  /** Inner band edges at two sigma, used by the "two of three" rule. */
  lowerTwoSigma: number | null;
  upperTwoSigma: number | null;
}

/** One plotted point with the limits of its segment. `segment` indexes `segments`. */
export interface LimitedPoint extends ControlLimits {
  index: number;
  value: number;
  segment: number;
}

/**
 * A run of points between rebases with its own centre and limits. `start` is inclusive and
 * `end` exclusive; the centre and spread come from the first `baselineLength` points only.
 */
export interface SpcSegment {
  start: number;
  end: number;
  baselineLength: number;
  centre: number;
}
