import { requireInput } from '../errors';

/** Which side signalled: `high` when the scores ran above the benchmark. */
export type CusumSignal = 'high' | 'low';

export interface CusumStep {
  /** Upper CUSUM after this period, ≥ 0; null for a period with no score. */
  upper: number | null;
  /** Lower CUSUM after this period as a magnitude, ≥ 0 (it accumulates −z); null for a period with no score. */
  lower: number | null;
  /** The side whose CUSUM crossed h in this period, or null (both crossing, which needs |z| > h + k on both sides, cannot happen). */
  signal: CusumSignal | null;
}

/**
 * Page's (1954) tabular CUSUM, one-sided in each direction, on standardised scores z_t (Normal(0, 1) when in
 * control): upper C⁺_t = max(0, C⁺_{t−1} + z_t − k), lower C⁻_t = max(0, C⁻_{t−1} − z_t − k), both from 0; a side
 * signals when it exceeds h (Montgomery, Introduction to Statistical Quality Control, §9.1). Here z_t is the provider's
 * overdispersion-adjusted z in each period's funnel (Spiegelhalter 2005), so casemix, precision and between-provider
 * variation are already in the score, as in the risk-adjusted CUSUMs of Steiner et al. (2000) and Grigg & Farewell
 * (2004) in standardised form.
 *
 * A side that signals is reset to 0, so the count of signals is a renewal process whose in-control rate is 1/ARL0 per
 * side (the ARL that `cusumThreshold` calibrates h for). A period with no score (suppressed, not reported, no funnel)
 * takes no step: both sides carry over unchanged, because a missing period carries no evidence either way and the
 * ARL counts scored periods.
 */
export function standardisedCusum(scores: readonly (number | null)[], k: number, h: number): CusumStep[] {
  requireInput(Number.isFinite(k) && k >= 0, 'standardisedCusum', 'a reference value k of at least zero');
  requireInput(Number.isFinite(h) && h > 0, 'standardisedCusum', 'a decision threshold h greater than zero');
  let upper = 0;
  let lower = 0;
  return scores.map((z): CusumStep => {
    if (z === null) return { upper: null, lower: null, signal: null };
    requireInput(Number.isFinite(z), 'standardisedCusum', 'finite scores');
    upper = Math.max(0, upper + z - k);
    lower = Math.max(0, lower - z - k);
    const step: CusumStep = { upper, lower, signal: upper > h ? 'high' : lower > h ? 'low' : null };
    if (upper > h) upper = 0;
    if (lower > h) lower = 0;
    return step;
  });
}
