import { coverageLabel } from '../stats';
import { benjaminiHochberg, outliersByChance, twoSidedPValue, type OutliersByChance } from '../stats/chance';

export interface ChanceAtLimit extends OutliersByChance {
  /** Judged results beyond this limit (either side). */
  observed: number;
}

export interface FunnelChance {
  /** Results judged on the funnel: the published providers; suppressed ones are not judged, so not counted. */
  judged: number;
  limits: ChanceAtLimit[];
}

interface JudgedResult {
  band: string | null;
}

const coverages = [0.95, 0.998] as const;
/** 'above-99.8' is beyond the 95 % and the 99.8 % limits; 'below-95' only beyond the 95 %. */
const beyond = (band: string, coverage: number) => band !== 'within' && Number(band.slice(band.indexOf('-') + 1)) >= Number(coverageLabel(coverage));

/**
 * The chance context of a funnel's outlier counts: how many of its judged results lie beyond the 95 % and
 * 99.8 % limits, beside how many chance alone would put there (outliersByChance). Counts only providers
 * whose figures are published, so it reveals nothing the providers list does not.
 */
export function funnelChance(providers: readonly JudgedResult[]): FunnelChance {
  const bands = providers.flatMap((p) => (p.band === null ? [] : [p.band]));
  return {
    judged: bands.length,
    limits: coverages.map((coverage) => ({ ...outliersByChance(bands.length, coverage), observed: bands.filter((band) => beyond(band, coverage)).length })),
  };
}

/**
 * Benjamini–Hochberg q-values of the two-sided p-values of the adjusted z-scores (Jones, Ohlssen &
 * Spiegelhalter 2008, Stat Med 27:1417), null where a provider is suppressed.
 */
export function funnelQValues(adjustedZ: readonly (number | null)[]): (number | null)[] {
  const judged = adjustedZ.flatMap((z, i) => (z === null ? [] : [{ i, p: twoSidedPValue(z) }]));
  const q = benjaminiHochberg(judged.map(({ p }) => p));
  const result: (number | null)[] = adjustedZ.map(() => null);
  judged.forEach(({ i }, k) => (result[i] = q[k]));
  return result;
}
