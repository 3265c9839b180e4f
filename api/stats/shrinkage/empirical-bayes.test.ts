import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { empiricalBayesEstimates } from './empirical-bayes';

// metafor 3.8-1: rma(yi, sei, method = "DL") and blup(), from test/fixtures/shrinkage/generate.R.
const [header, ...lines] = readFileSync(new URL('../../../test/fixtures/shrinkage/empirical-bayes.csv', import.meta.url), 'utf8').trim().split('\n');
const columns = header.replace(/"/g, '').split(',');
const rows = lines.map((line) => Object.fromEntries(line.replace(/"/g, '').split(',').map((cell, i) => [columns[i], i === 0 ? cell : Number(cell)])));
const datasets = [...new Set(rows.map((row) => row.dataset as string))];

describe('empiricalBayesEstimates against metafor', () => {
  it.each(datasets)('%s: τ², θ and every BLUP with its standard error to 1e-6', (dataset) => {
    const set = rows.filter((row) => row.dataset === dataset);
    const result = empiricalBayesEstimates(set.map((row) => row.y as number), set.map((row) => row.s as number));
    expect(result.tau2).toBeCloseTo(set[0].tau2 as number, 8);
    expect(result.theta).toBeCloseTo(set[0].theta as number, 7);
    expect(Math.sqrt(result.thetaVariance)).toBeCloseTo(set[0].theta_se as number, 7);
    set.forEach((row, i) => {
      expect(Math.abs(result.estimates[i].mean - (row.pred as number))).toBeLessThan(1e-6);
      expect(Math.abs(result.estimates[i].sd - (row.pred_se as number))).toBeLessThan(1e-6);
      expect(Math.abs(result.estimates[i].mean - 1.959963984540054 * result.estimates[i].sd - (row.pi_lb as number))).toBeLessThan(1e-6);
    });
  });

  it('pulls every estimate to θ when the providers vary no more than chance (τ² = 0)', () => {
    const set = rows.filter((row) => row.dataset === 'homogeneous');
    const result = empiricalBayesEstimates(set.map((row) => row.y as number), set.map((row) => row.s as number));
    expect(result.tau2).toBe(0);
    for (const estimate of result.estimates) expect(estimate).toMatchObject({ mean: result.theta, shrinkage: 1 });
  });

  it('refuses estimates without a standard error each', () => {
    expect(() => empiricalBayesEstimates([1, 2], [0.1])).toThrow(/empiricalBayesEstimates requires/);
  });
});
