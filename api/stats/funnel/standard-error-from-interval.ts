import { requireInput } from '../errors';
import { coverageZ, requireCoverage } from './coverage';

/**
 * The standard error behind a published confidence interval, (upper − lower)/(2z) with
 * z = Φ⁻¹(1 − α/2), for the 'normal' funnel measure. It assumes the interval is symmetric about the
 * value (a normal-theory interval: a mean, or a rate with a Wald interval). For an asymmetric interval,
 * such as Dobson's for a directly standardised rate, use {@link logStandardErrorFromInterval} with
 * `scale: 'log'`.
 */
export function standardErrorFromInterval(lower: number, upper: number, confidence = 0.95): number {
  requireCoverage(confidence, 'standardErrorFromInterval');
  requireInput(Number.isFinite(lower) && Number.isFinite(upper) && upper > lower, 'standardErrorFromInterval', 'finite limits with the upper greater than the lower');
  return (upper - lower) / (2 * coverageZ(confidence));
}

/**
 * The standard error of ln(value) behind an interval that is symmetric on the log scale,
 * (ln upper − ln lower)/(2z): for a directly standardised rate with Dobson's interval, whose skew is
 * mostly that of a log-normal, compare on the log scale, y = ln(DSR) and s from this, as
 * `{ measure: 'normal', scale: 'log', providers: [{ id, value: dsr, standardError: s }] }`.
 */
export function logStandardErrorFromInterval(lower: number, upper: number, confidence = 0.95): number {
  requireCoverage(confidence, 'logStandardErrorFromInterval');
  requireInput(Number.isFinite(upper) && lower > 0 && upper > lower, 'logStandardErrorFromInterval', 'finite limits with 0 < lower < upper');
  return (Math.log(upper) - Math.log(lower)) / (2 * coverageZ(confidence));
}
