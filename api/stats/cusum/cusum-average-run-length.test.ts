import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { cusumAverageRunLength } from './cusum-average-run-length';

// R spc::xcusum.arl(k, h, shift, sided = "one"): Nyström solution of the ARL integral equation, an independent
// method; test/fixtures/cusum/generate.R.
const [header, ...lines] = readFileSync(new URL('../../../test/fixtures/cusum/arl.csv', import.meta.url), 'utf8').trim().split('\n');
const columns = header.split(',').map((name) => name.replace(/"/g, ''));
const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], Number(cell)])));

describe('cusumAverageRunLength (Brook & Evans 1972 Markov chain)', () => {
  it.each(rows.map((row) => [row.k, row.h, row.shift, row.arl]))('k = %s, h = %s, shift = %s: ARL %s as spc::xcusum.arl gives it', (k, h, shift, arl) => {
    // The extrapolated 100-state chain agrees with the integral equation to about 1e-5; 1e-4 relative leaves room.
    expect(Math.abs(cusumAverageRunLength(k, h, shift) / arl - 1)).toBeLessThan(1e-4);
  });

  it('gives the two-sided in-control ARLs of Montgomery (Introduction to SQC, 6th ed., Table 9.3): 168 at h = 4 and 465 at h = 5, k = ½', () => {
    // Two one-sided CUSUMs together: 1/ARL = 1/ARL⁺ + 1/ARL⁻, equal sides in control.
    expect(cusumAverageRunLength(0.5, 4) / 2).toBeCloseTo(168, 0);
    expect(cusumAverageRunLength(0.5, 5) / 2).toBeCloseTo(465, 0);
  });

  it('converges as the chain grows: more states move the ARL by less', () => {
    const coarse = Math.abs(cusumAverageRunLength(0.5, 4, 0, 20) - 335.367577627242);
    const fine = Math.abs(cusumAverageRunLength(0.5, 4, 0, 200) - 335.367577627242);
    expect(fine).toBeLessThan(coarse / 10);
  });

  it('refuses a threshold that is not positive and too few states', () => {
    expect(() => cusumAverageRunLength(0.5, 0)).toThrow(StatsInputError);
    expect(() => cusumAverageRunLength(0.5, 4, 0, 4)).toThrow(StatsInputError);
    expect(() => cusumAverageRunLength(Number.NaN, 4)).toThrow(StatsInputError);
  });
});
