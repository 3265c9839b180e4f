import { requireInput } from '../errors';

/** One age band (or other stratum) of the area, with the reference population's rate per person in it. */
export interface IsrStratum {
  population: number;
  /** Events per person in the reference population (reference events ÷ reference population). */
  referenceRate: number;
}

/**
 * Expected count of an indirectly standardised ratio: E = Σ rᵢnᵢ, the reference rates applied to the area's
 * populations (Breslow & Day 1987, Statistical Methods in Cancer Research II, §2.3; PHEindicatormethods
 * calculate_ISRatio). The ratio is then observed ÷ E with Byar's or the exact interval.
 */
export function isrExpected(strata: readonly IsrStratum[]): number {
  const name = 'isrExpected';
  requireInput(strata.length > 0, name, 'at least one stratum');
  let expected = 0;
  for (const { population, referenceRate } of strata) {
    requireInput(Number.isFinite(population) && population >= 0, name, 'non-negative finite stratum populations');
    requireInput(Number.isFinite(referenceRate) && referenceRate >= 0, name, 'non-negative finite reference rates');
    expected += population * referenceRate;
  }
  return expected;
}
