import { poissonCountInterval, wilsonInterval } from '../../api/stats';

/**
 * Interval inversion: a published value with its 95 % interval is a function of the counts behind it, so the
 * counts can be read back. A Wilson interval's width shrinks with n at a fixed proportion; a Poisson interval
 * relative to its count, lower/O, rises with O. Each is solved by bisection, then confirmed by recomputing the
 * interval exactly as the API does.
 */

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);

/** Σx and Σn from a proportion and its Wilson interval, all on the proportion scale (0..1); null if none fits. */
export function invertWilson(proportion: number, lower: number, upper: number): { numerator: number; denominator: number } | null {
  const width = (denominator: number) => {
    const interval = wilsonInterval(proportion * denominator, denominator);
    return interval.upper - interval.lower;
  };
  let [small, large] = [1, 1e10];
  if (width(large) > upper - lower) return null;
  for (let step = 0; step < 200 && large - small > 0.5; step++) {
    const middle = (small + large) / 2;
    if (width(middle) > upper - lower) small = middle;
    else large = middle;
  }
  const guess = Math.round((small + large) / 2);
  for (const denominator of [guess, guess - 1, guess + 1, guess - 2, guess + 2]) {
    if (denominator < 1) continue;
    const numerator = Math.round(proportion * denominator);
    if (numerator > denominator) continue;
    const interval = wilsonInterval(numerator, denominator);
    if (close(interval.estimate, proportion) && close(interval.lower, lower) && close(interval.upper, upper)) return { numerator, denominator };
  }
  return null;
}

/**
 * The count O and its base (denominator or expected count, in the value's units before the multiplier) from a
 * rate or ratio O/base × multiplier and its exact-Poisson or Byar interval; null if none fits.
 */
export function invertPoisson(value: number, lower: number, upper: number, multiplier: number): { count: number; base: number } | null {
  if (value === 0) {
    const base = (poissonCountInterval(0).upper * multiplier) / upper;
    return Number.isFinite(base) && base > 0 ? { count: 0, base } : null;
  }
  const target = lower / value;
  const relativeLower = (count: number) => poissonCountInterval(count).lower / count;
  const fits = (count: number) => {
    const base = (count * multiplier) / value;
    const interval = poissonCountInterval(count);
    return close((interval.lower * multiplier) / base, lower) && close((interval.upper * multiplier) / base, upper) ? { count, base } : null;
  };
  // Small counts straight through: the exact and Byar methods meet at 10, where lower/O need not be monotone.
  for (let count = 1; count <= 40; count++) {
    const found = fits(count);
    if (found) return found;
  }
  let [small, large] = [40, 1e8];
  if (relativeLower(large) < target) return null;
  while (large - small > 1) {
    const middle = Math.floor((small + large) / 2);
    if (relativeLower(middle) < target) small = middle;
    else large = middle;
  }
  for (const count of [small, large, small - 1, large + 1]) {
    const found = fits(count);
    if (found) return found;
  }
  return null;
}
