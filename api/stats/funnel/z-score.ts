import { requireInput } from '../errors';
import type { FunnelScale } from './types';

/** One provider on a variance-stabilising scale: transformed value y, its standard error s under the target, the target on the same scale, and z = (y − target)/s. */
export interface TransformedValue {
  y: number;
  s: number;
  targetTransformed: number;
  z: number;
}

/**
 * z-score of one provider on a variance-stabilising scale (Spiegelhalter 2005, QSHC 14:347, Table 1;
 * NHS Digital SHMI methodology for 'log'; CQC for 'square-root'; methods.md "Overdispersion" step 1).
 * numerator is O or x, denominator is E or n, target is θ on the natural scale (1 for ratios).
 *
 * O = 0 on the 'log' scale: ln(0) is −∞, which FunnelPlotR 0.6.0 passes on into φ (making it
 * infinite). Here half an event is added to the observed count and to the count expected under the
 * target (θE + ½), the continuity correction of the ratio-of-counts scale, for y only: the provider keeps
 * a large negative but finite z, always below the target (½/E alone would put an E under ½ above it);
 * its ratio and band are unaffected.
 * With s = 0 (a proportion target of 0 or 1 on the untransformed scale) z is 0 at the target and ±∞ elsewhere.
 * For the ratio of counts the denominator may be 0 (FunnelPlotR's medpar providers with no survivors).
 */
export function funnelZScore(scale: FunnelScale, numerator: number, denominator: number, target: number): TransformedValue {
  requireInput(Number.isFinite(numerator) && numerator >= 0, 'funnelZScore', 'a finite numerator of at least zero');
  // Two counts may each be 0 (the ½ correction keeps y finite), but not both.
  const countsOk = scale === 'log-ratio-of-counts' ? denominator >= 0 && numerator + denominator > 0 : denominator > 0;
  requireInput(Number.isFinite(denominator) && countsOk, 'funnelZScore', 'a finite denominator greater than zero');
  const { y, s, targetTransformed } = transform(scale, numerator, denominator, target);
  const difference = y - targetTransformed;
  const z = s > 0 ? difference / s : difference === 0 ? 0 : Math.sign(difference) * Infinity;
  return { y, s, targetTransformed, z };
}

function transform(scale: FunnelScale, o: number, e: number, target: number): Omit<TransformedValue, 'z'> {
  switch (scale) {
    case 'log':
      requireTarget(target > 0 && Number.isFinite(target), 'a target greater than zero');
      return { y: o > 0 ? Math.log(o / e) : Math.log((0.5 * target) / (target * e + 0.5)), s: 1 / Math.sqrt(e), targetTransformed: Math.log(target) };
    case 'square-root':
      requireTarget(target > 0 && Number.isFinite(target), 'a target greater than zero');
      return { y: Math.sqrt(o / e), s: 1 / (2 * Math.sqrt(e)), targetTransformed: Math.sqrt(target) };
    case 'arcsine':
      requireProportion(o, e, target);
      return { y: Math.asin(Math.sqrt(o / e)), s: 1 / (2 * Math.sqrt(e)), targetTransformed: Math.asin(Math.sqrt(target)) };
    case 'proportion':
      requireProportion(o, e, target);
      return { y: o / e, s: Math.sqrt((target * (1 - target)) / e), targetTransformed: target };
    case 'log-ratio-of-counts':
      requireTarget(target > 0 && Number.isFinite(target), 'a target greater than zero');
      return {
        y: Math.log((o + 0.5) / (e + 0.5)),
        s: Math.sqrt(o / (o + 0.5) ** 2 + e / (e + 0.5) ** 2),
        targetTransformed: Math.log(target),
      };
  }
}

function requireProportion(numerator: number, denominator: number, target: number): void {
  requireInput(numerator <= denominator, 'funnelZScore', 'a numerator no greater than the denominator for a proportion');
  requireTarget(target >= 0 && target <= 1, 'a target proportion between 0 and 1');
}

function requireTarget(condition: boolean, requirement: string): void {
  requireInput(condition, 'funnelZScore', requirement);
}
