import { requireInput } from '../errors';
import { twoSidedPValue } from './two-sided-p-value';

export interface BenjaminiHochbergThreshold {
  /** p* = the largest p₍ᵢ₎ with p₍ᵢ₎ ≤ i·level/m over the two-sided p-values; null when none passes. */
  pThreshold: number | null;
  /** The |z| whose two-sided p-value is p*, the smallest |z| among the discoveries; null with p*. */
  zThreshold: number | null;
}

/**
 * The Benjamini–Hochberg step-up threshold (J R Stat Soc B 1995, 57:289) at a false discovery rate `level`,
 * over z-scores' two-sided p-values: results with p ≤ p* (|z| ≥ z*) are the discoveries, the same set whose
 * q-value is ≤ level. Jones, Ohlssen & Spiegelhalter (2008, Stat Med 27:1417) draw it on a funnel plot as a
 * pair of limits at z*. z* is read from the z-scores themselves, so it stays exact where p* underflows.
 */
export function benjaminiHochbergThreshold(zScores: readonly number[], level: number): BenjaminiHochbergThreshold {
  requireInput(zScores.every((z) => !Number.isNaN(z)), 'benjaminiHochbergThreshold', 'z-scores that are numbers');
  requireInput(level > 0 && level < 1, 'benjaminiHochbergThreshold', 'a level between 0 and 1');
  const sorted = zScores.map((z) => Math.abs(z)).sort((a, b) => b - a);
  const m = sorted.length;
  let passing = -1;
  sorted.forEach((z, i) => {
    if (twoSidedPValue(z) <= ((i + 1) * level) / m) passing = i;
  });
  return passing < 0 ? { pThreshold: null, zThreshold: null } : { pThreshold: twoSidedPValue(sorted[passing]), zThreshold: sorted[passing] };
}
