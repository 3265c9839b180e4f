import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { cusumAverageRunLength } from './cusum-average-run-length';
import { cusumThreshold } from './cusum-threshold';

// R spc::xcusum.crit(k, L0, 0, sided = "one"); test/fixtures/cusum/generate.R.
const [header, ...lines] = readFileSync(new URL('../../../test/fixtures/cusum/threshold.csv', import.meta.url), 'utf8').trim().split('\n');
const columns = header.split(',').map((name) => name.replace(/"/g, ''));
const rows = lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], Number(cell)])));

describe('cusumThreshold', () => {
  it.each(rows.map((row) => [row.k, row.arl0, row.h]))('k = %s, ARL0 = %s: h = %s as spc::xcusum.crit gives it', (k, arl0, h) => {
    // The Markov-chain ARL is within ~1e-5 of spc's; dARL/dh is about ARL, so h agrees to ~1e-5 absolute: 1e-4 relative.
    expect(Math.abs(cusumThreshold(k, arl0) / h - 1)).toBeLessThan(1e-4);
  });

  it('returns an h whose ARL0 is the one asked for', () => {
    const h = cusumThreshold(0.5, 200);
    expect(cusumAverageRunLength(0.5, h) / 200).toBeCloseTo(1, 8);
  });

  it('refuses an ARL0 no threshold can reach: at h = 0 the CUSUM already signals once per 1/(1 − Φ(k)) periods', () => {
    // 1/(1 − Φ(0.5)) = 3.2593.
    expect(() => cusumThreshold(0.5, 3)).toThrow(StatsInputError);
    expect(() => cusumThreshold(0.5, Number.POSITIVE_INFINITY)).toThrow(StatsInputError);
  });
});
