import { mean, sampleStandardDeviation } from 'simple-statistics';
import { studentTQuantile } from '../distributions';
import { requireInput } from '../errors';
import { requireConfidence } from './input-checks';
import type { Interval } from './interval';

/** A sample summarised by its mean, sample standard deviation (n − 1 divisor) and size. */
export interface MeanSummary {
  mean: number;
  sd: number;
  n: number;
}

/**
 * Student's t interval for a mean (Student 1908, Biometrika 6:1): mean ± t(1 − α/2; n − 1)·sd/√n,
 * as PHEindicatormethods phe_mean. Takes the raw values or a summary; needs n ≥ 2.
 */
export function meanInterval(sample: readonly number[] | MeanSummary, confidence = 0.95): Interval {
  const name = 'meanInterval';
  requireConfidence(confidence, name);
  const summary = isSummary(sample) ? sample : summarise(sample, name);
  requireInput(Number.isInteger(summary.n) && summary.n >= 2, name, 'at least two values');
  requireInput(Number.isFinite(summary.mean), name, 'a finite mean');
  requireInput(Number.isFinite(summary.sd) && summary.sd >= 0, name, 'a non-negative finite standard deviation');
  const halfWidth = (studentTQuantile((1 + confidence) / 2, summary.n - 1) * summary.sd) / Math.sqrt(summary.n);
  return { estimate: summary.mean, lower: summary.mean - halfWidth, upper: summary.mean + halfWidth };
}

function isSummary(sample: readonly number[] | MeanSummary): sample is MeanSummary {
  return !Array.isArray(sample);
}

function summarise(values: readonly number[], name: string): MeanSummary {
  requireInput(values.length >= 2, name, 'at least two values');
  requireInput(values.every(Number.isFinite), name, 'finite values');
  const copy = [...values];
  return { mean: mean(copy), sd: sampleStandardDeviation(copy), n: copy.length };
}
