import { normalCdf } from '../distributions';
import { requireInput } from '../errors';
import { cusumAverageRunLength } from './cusum-average-run-length';

const TOLERANCE = 1e-9;
const MAX_ITERATIONS = 200;

/**
 * The decision threshold h at which a one-sided CUSUM with reference value k on in-control Normal(0, 1) scores has
 * the stated in-control average run length ARL0: one false alarm per ARL0 periods, on each side, on average. The ARL
 * is Brook & Evans' (1972) Markov-chain value (`cusumAverageRunLength`); it increases with h, and its logarithm
 * almost linearly (Siegmund 1985), so the root of ln ARL(h) − ln ARL0 is found by regula falsi (Illinois variant)
 * inside a bracket that starts at h = 0, where the CUSUM signals whenever z > k (ARL 1/(1 − Φ(k))). This is what
 * Montgomery's tables and R's spc::xcusum.crit give (Montgomery, Introduction to Statistical Quality Control, §9.1).
 */
export function cusumThreshold(k: number, arl0: number): number {
  requireInput(Number.isFinite(k), 'cusumThreshold', 'a finite reference value k');
  const floor = 1 / (1 - normalCdf(k));
  requireInput(Number.isFinite(arl0) && arl0 > floor, 'cusumThreshold', `an in-control ARL greater than ${floor.toPrecision(4)}, the ARL of h = 0 at this k`);
  const gap = (h: number) => Math.log(cusumAverageRunLength(k, h)) - Math.log(arl0);
  let lo = 0;
  let gapLo = Math.log(floor) - Math.log(arl0);
  let hi = 1;
  let gapHi = gap(hi);
  while (gapHi < 0) {
    lo = hi;
    gapLo = gapHi;
    hi *= 2;
    gapHi = gap(hi);
  }
  let side = 0;
  for (let i = 0; i < MAX_ITERATIONS && hi - lo > TOLERANCE; i++) {
    const h = (lo * gapHi - hi * gapLo) / (gapHi - gapLo);
    const value = gap(h);
    if (value === 0) return h;
    if (value < 0) {
      lo = h;
      gapLo = value;
      if (side === -1) gapHi /= 2;
      side = -1;
    } else {
      hi = h;
      gapHi = value;
      if (side === 1) gapLo /= 2;
      side = 1;
    }
    if (Math.abs(value) < 1e-12) return h;
  }
  return (lo + hi) / 2;
}
