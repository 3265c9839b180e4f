import { chiSquaredQuantile } from '../distributions/chi-squared-quantile';
import type { SegmentOptions } from './chart-segments';
import { pPrimeChart, uPrimeChart } from './laney-chart';

/** Effective degrees of freedom per moving range of an average moving range (Wheeler 1995): ν ≈ 0.62(k − 1). */
export const MOVING_RANGE_EFFECTIVE_DF = 0.62;
/** One-sided level of the overdispersion test on σ_z. */
export const OVERDISPERSION_LEVEL = 0.95;

export interface AttributeChartChoice {
  chart: 'p' | 'pprime' | 'u' | 'uprime';
  /** The stated rule, so an output names why its chart was drawn. */
  rule: 'laney_sigma_z_overdispersion';
  /** σ_z of the latest segment's baseline; `null` when it cannot be estimated (then the plain chart). */
  sigmaZ: number | null;
  /** σ_z above this is overdispersion; `null` with σ_z. */
  threshold: number | null;
}

/**
 * The default chart for a proportion (p or p′) or a rate (u or u′): the plain attribute chart unless the series
 * is overdispersed, then Laney's (Laney 2002; Mohammed & Laney, "Overdispersion in health care performance
 * data: Laney's approach", Qual Saf Health Care 2006;15:383-384, who recommend p′ when σ_z departs from 1).
 * Overdispersed means σ_z of the latest segment's baseline (the limits the current verdict uses) lies above the
 * one-sided 95 % point of its sampling distribution under the binomial or Poisson model: σ_z² is a variance
 * estimate from an average moving range of k points, on ν = 0.62(k − 1) effective degrees of freedom
 * (Wheeler, "Advanced Topics in Statistical Process Control", 1995), so the threshold is √(χ²₀.₉₅(ν)/ν).
 * A baseline of one point gives no σ_z, so the plain chart. Underdispersion keeps the plain chart, whose wider limits err towards fewer false alarms.
 */
export function attributeChartChoice(
  measure: 'proportion' | 'rate',
  numerators: readonly number[],
  denominators: readonly number[],
  options: SegmentOptions = {},
): AttributeChartChoice {
  const [plain, laney] = measure === 'proportion' ? (['p', 'pprime'] as const) : (['u', 'uprime'] as const);
  // A one-point baseline has no moving range, so no σ_z to judge.
  if (options.baselineLength === 1) return { chart: plain, rule: 'laney_sigma_z_overdispersion', sigmaZ: null, threshold: null };
  const segments = (measure === 'proportion' ? pPrimeChart : uPrimeChart)(numerators, denominators, options).segments;
  const latest = segments[segments.length - 1];
  const sigmaZ = latest.sigmaZ ?? null;
  if (sigmaZ === null) return { chart: plain, rule: 'laney_sigma_z_overdispersion', sigmaZ, threshold: null };
  const df = MOVING_RANGE_EFFECTIVE_DF * (latest.baselineLength - 1);
  const threshold = Math.sqrt(chiSquaredQuantile(OVERDISPERSION_LEVEL, df) / df);
  return { chart: sigmaZ > threshold ? laney : plain, rule: 'laney_sigma_z_overdispersion', sigmaZ, threshold };
}
