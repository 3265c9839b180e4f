import { coverageLabel, coverageZ, type FunnelCurve, type FunnelCurvePoint } from '../stats';
import { benjaminiHochberg, outliersByChance, twoSidedPValue, type OutliersByChance } from '../stats/chance';
import { benjaminiHochbergThreshold } from '../stats/chance/benjamini-hochberg-threshold';

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

/** The Benjamini–Hochberg line: limits at z* around the benchmark on the adjusted scale (Jones, Ohlssen & Spiegelhalter 2008). */
export interface FunnelFdrLine {
  level: number;
  pThreshold: number | null;
  zThreshold: number | null;
  /** Display scale; null when no provider passes, or when p* is too small (below about 1e-10) for a coverage 1 − p* to carry z*. */
  curve: FunnelCurvePoint[] | null;
}

/**
 * The false-discovery-rate line of a funnel (Jones, Ohlssen & Spiegelhalter 2008, Stat Med 27:1417): the
 * Benjamini–Hochberg threshold p* over the judged providers' adjusted z's two-sided p-values, drawn as the
 * funnel's adjusted limit curve at coverage 1 − p* (`curvesAt` runs the funnel's own curve machinery), so the
 * line sits exactly at |adjusted z| = z*. Suppressed providers (null z) take no part.
 */
export function funnelFdrLine(
  adjustedZ: readonly (number | null)[], level: number, curvesAt: (coverage: number) => readonly FunnelCurve[],
): FunnelFdrLine {
  const { pThreshold, zThreshold } = benjaminiHochbergThreshold(adjustedZ.flatMap((z) => (z === null ? [] : [z])), level);
  const coverage = pThreshold === null ? null : 1 - pThreshold;
  // The curve machinery takes a coverage: below p* ≈ 1e-10, 1 − p* no longer carries z* to 1e-6, so no line is drawn.
  const representable = coverage !== null && coverage < 1 && Math.abs(coverageZ(coverage) - zThreshold!) < 1e-6;
  const curve = representable ? curvesAt(coverage).find((one) => one.kind === 'adjusted')!.points : null;
  return { level, pThreshold, zThreshold, curve };
}
