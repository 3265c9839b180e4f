import { requireInput } from '../errors';
import { requireConfidence, requirePositive } from './input-checks';
import type { Interval } from './interval';
import { byarMinimumCount, poissonCountInterval } from './poisson-count-interval';

/** One age band (or other stratum) of the area being standardised. */
export interface DsrStratum {
  count: number;
  population: number;
  standardPopulation: number;
}

export interface DobsonResult extends Interval {
  totalCount: number;
  /** Why estimate and limits are NaN, or null when they are reported. */
  suppressedReason: 'total count below 10' | null;
}

/**
 * Directly standardised rate with Dobson's interval (Dobson, Kuulasmaa, Eberle & Scherer 1991,
 * Stat Med 10:457): DSR = Σwᵢxᵢ/nᵢ / Σwᵢ, var = Σxᵢ(wᵢ/nᵢ)² / (Σwᵢ)², and with O = Σxᵢ the limits
 * DSR + √(var/O)·(limit of O − O), the count's limits by PHE's rule (Byar's from 10).
 * Per PHE practice (PHEindicatormethods phe_dsr) nothing is reported when O < 10: estimate and
 * limits are NaN and suppressedReason says why, so a table can show the reason instead of a number.
 */
export function dobsonInterval(strata: readonly DsrStratum[], multiplier = 100_000, confidence = 0.95): DobsonResult {
  const name = 'dobsonInterval';
  requireInput(strata.length > 0, name, 'at least one stratum');
  for (const { count, population, standardPopulation } of strata) {
    requireInput(Number.isFinite(count) && count >= 0, name, 'non-negative finite stratum counts');
    requireInput(Number.isFinite(population) && population > 0, name, 'stratum populations greater than zero');
    requireInput(Number.isFinite(standardPopulation) && standardPopulation >= 0, name, 'non-negative finite standard populations');
  }
  requirePositive(multiplier, name, 'multiplier');
  requireConfidence(confidence, name);
  let totalCount = 0;
  let totalWeight = 0;
  let weightedRate = 0;
  let weightedVariance = 0;
  for (const { count, population, standardPopulation } of strata) {
    const weightPerHead = standardPopulation / population;
    totalCount += count;
    totalWeight += standardPopulation;
    weightedRate += count * weightPerHead;
    weightedVariance += count * weightPerHead * weightPerHead;
  }
  requireInput(totalWeight > 0, name, 'a standard population greater than zero in total');
  if (totalCount < byarMinimumCount) {
    return { estimate: Number.NaN, lower: Number.NaN, upper: Number.NaN, totalCount, suppressedReason: 'total count below 10' };
  }
  const dsr = weightedRate / totalWeight;
  const spread = Math.sqrt(weightedVariance / (totalWeight * totalWeight) / totalCount);
  const count = poissonCountInterval(totalCount, confidence);
  return {
    estimate: dsr * multiplier,
    lower: (dsr + spread * (count.lower - totalCount)) * multiplier,
    upper: (dsr + spread * (count.upper - totalCount)) * multiplier,
    totalCount,
    suppressedReason: null,
  };
}
