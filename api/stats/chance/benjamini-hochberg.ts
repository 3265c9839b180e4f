import { requireInput } from '../errors';

/**
 * Benjamini–Hochberg q-values (J R Stat Soc B 1995, 57:289), as R's p.adjust(method = "BH"): with the
 * p-values ranked i = 1…m ascending, q₍ᵢ₎ = min over j ≥ i of min(1, m·p₍ⱼ₎/j), returned in input order.
 * Jones, Ohlssen & Spiegelhalter (2008, Stat Med 27:1417) apply it to funnel plots' z-scores.
 */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  requireInput(pValues.every((p) => p >= 0 && p <= 1), 'benjaminiHochberg', 'p-values between 0 and 1');
  const m = pValues.length;
  const order = pValues.map((_, i) => i).sort((a, b) => pValues[b] - pValues[a]);
  const q = new Array<number>(m);
  let running = 1;
  order.forEach((index, position) => {
    running = Math.min(running, (m * pValues[index]) / (m - position));
    q[index] = running;
  });
  return q;
}
