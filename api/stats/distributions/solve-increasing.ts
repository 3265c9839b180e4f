/** What the quantile functions hand to {@link solveIncreasing}. */
export interface IncreasingFunction {
  /** The function whose root is sought; increasing in x, negative below the root. */
  value: (x: number) => number;
  /** Its derivative (a density), which must be positive inside the bracket. */
  slope: (x: number) => number;
  /** Second over first derivative, for Halley's correction. */
  curvature: (x: number) => number;
}

const TOLERANCE = 4 * Number.EPSILON;
const MAX_ITERATIONS = 2000;

/**
 * Root of an increasing function by Halley's method, safeguarded by a shrinking bracket:
 * a step that leaves the bracket is replaced by bisection (geometric when the bracket spans
 * orders of magnitude), so convergence never depends on the starting value (Numerical Recipes,
 * 3rd ed., §9.4 rtsafe). Iterates to full double precision.
 */
export function solveIncreasing(f: IncreasingFunction, start: number, lower: number, upper: number): number {
  let lo = lower;
  let hi = upper;
  let x = start;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const value = f.value(x);
    if (value === 0) return x;
    if (value < 0) lo = x;
    else hi = x;
    if (hi - lo <= TOLERANCE * Math.abs(hi) && hi < Infinity) return x;
    const newton = value / f.slope(x);
    // Halley's correction, limited as in Numerical Recipes' invgammp so it cannot flip the step.
    const step = newton / (1 - 0.5 * Math.min(1, newton * f.curvature(x)));
    let next = x - step;
    // A non-zero step that rounds to x itself has converged; it must not read as leaving the bracket
    // (a zero step comes from an infinite slope or curvature, not from convergence).
    if (next === x && step !== 0) return x;
    if (!(next > lo && next < hi)) next = bisect(lo, hi, x);
    else if (Math.abs(step) <= TOLERANCE * Math.abs(next)) return next;
    x = next;
  }
  return x;
}

function bisect(lo: number, hi: number, x: number): number {
  if (hi === Infinity) return 2 * x + 1;
  if (lo > 0 && hi / lo > 16) return Math.sqrt(lo * hi);
  return lo + (hi - lo) / 2;
}
