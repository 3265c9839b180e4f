import { normalCdf } from '../distributions';
import { requireInput } from '../errors';

/** Markov-chain states: with the extrapolation the ARL is within about 1e-5 (relative) of the integral-equation value (see the test). */
const DEFAULT_STATES = 100;

/**
 * Average run length of a one-sided upper CUSUM S_t = max(0, S_{t−1} + z_t − k), signalling when S_t > h, started
 * at 0, with z_t independent Normal(shift, 1): the in-control ARL0 when shift = 0. By symmetry it is also the ARL of
 * the lower side at −shift.
 *
 * Brook & Evans (1972), "An approach to the probability distribution of CUSUM run length", Biometrika 59:539: the
 * interval [0, h] is cut into `states` cells of width w = 2h/(2·states − 1), the first [0, w/2] holding the atom at
 * zero and the others centred on i·w; the CUSUM becomes a Markov chain on the cells with transition probabilities
 * from the normal distribution, and the ARL vector solves (I − P)·L = 1. The discretisation error falls as 1/states²,
 * so the ARL from two chain sizes is extrapolated (Richardson) to remove the leading term.
 */
export function cusumAverageRunLength(k: number, h: number, shift = 0, states = DEFAULT_STATES): number {
  requireInput(Number.isFinite(k), 'cusumAverageRunLength', 'a finite reference value k');
  requireInput(Number.isFinite(h) && h > 0, 'cusumAverageRunLength', 'a decision threshold h greater than zero');
  requireInput(Number.isFinite(shift), 'cusumAverageRunLength', 'a finite shift');
  requireInput(Number.isInteger(states) && states >= 10, 'cusumAverageRunLength', 'a whole number of at least 10 states');
  const coarse = markovChainRunLength(k, h, shift, states / 2);
  const fine = markovChainRunLength(k, h, shift, states);
  return fine + (fine - coarse) / 3;
}

/** ARL from zero of the Brook–Evans chain with m cells. */
function markovChainRunLength(k: number, h: number, shift: number, cells: number): number {
  const m = Math.round(cells);
  const w = (2 * h) / (2 * m - 1);
  // P(i → j) depends on j − i only: below[d + m] = P(step ≤ (d + ½)·w), step = z − k.
  const below = new Float64Array(2 * m + 1);
  for (let d = -m; d <= m; d++) below[d + m] = normalCdf((d + 0.5) * w + k - shift);
  // Row-major (I − P), then solve (I − P)·L = 1 by Gaussian elimination with partial pivoting.
  const a = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    a[i * m] = -below[-i + m];
    for (let j = 1; j < m; j++) a[i * m + j] = -(below[j - i + m] - below[j - i - 1 + m]);
    a[i * m + i] += 1;
  }
  const arl = solveLinear(a, new Float64Array(m).fill(1), m);
  return arl[0];
}

function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let row = col + 1; row < n; row++) if (Math.abs(a[row * n + col]) > Math.abs(a[pivot * n + col])) pivot = row;
    if (pivot !== col) {
      for (let j = 0; j < n; j++) [a[col * n + j], a[pivot * n + j]] = [a[pivot * n + j], a[col * n + j]];
      [b[col], b[pivot]] = [b[pivot], b[col]];
    }
    const diagonal = a[col * n + col];
    for (let row = col + 1; row < n; row++) {
      const factor = a[row * n + col] / diagonal;
      if (factor === 0) continue;
      for (let j = col; j < n; j++) a[row * n + j] -= factor * a[col * n + j];
      b[row] -= factor * b[col];
    }
  }
  const x = new Float64Array(n);
  for (let row = n - 1; row >= 0; row--) {
    let sum = b[row];
    for (let j = row + 1; j < n; j++) sum -= a[row * n + j] * x[j];
    x[row] = sum / a[row * n + row];
  }
  return x;
}
