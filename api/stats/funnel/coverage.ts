import { normalQuantile } from '../distributions';
import { requireInput } from '../errors';

/**
 * The two-sided standard normal quantile for a coverage: 1.959964 for 0.95, 3.090232 for 0.998
 * (methods.md). Taken from the lower tail, α/2, so that coverages close to 1 keep their precision.
 */
export function coverageZ(coverage: number): number {
  let z = zByCoverage.get(coverage);
  if (z === undefined) {
    requireCoverage(coverage, 'coverageZ');
    zByCoverage.set(coverage, (z = -normalQuantile((1 - coverage) / 2)));
  }
  return z;
}

/** Funnels ask for the same few coverages once per provider: each quantile and label is computed once. */
const zByCoverage = new Map<number, number>();
const labelByCoverage = new Map<number, string>();

/** "95" for 0.95, "99.8" for 0.998: the percentage as people write it, for band labels. */
export function coverageLabel(coverage: number): string {
  let label = labelByCoverage.get(coverage);
  if (label === undefined) {
    requireCoverage(coverage, 'coverageLabel');
    labelByCoverage.set(coverage, (label = String(Number((coverage * 100).toPrecision(12)))));
  }
  return label;
}

export function requireCoverage(coverage: number, functionName: string): void {
  requireInput(coverage > 0 && coverage < 1, functionName, 'a coverage between 0 and 1');
}
