import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { rankIntervals } from './rank-intervals';

// R: 20 000 draws from each posterior N(pred, pred_se²), rank(-v), type-1 quantiles (test/fixtures/shrinkage/generate.R).
const [header, ...lines] = readFileSync(new URL('../../../test/fixtures/shrinkage/rank-intervals.csv', import.meta.url), 'utf8').trim().split('\n');
const columns = header.replace(/"/g, '').split(',');
const rows = lines.map((line) => Object.fromEntries(line.replace(/"/g, '').split(',').map((cell, i) => [columns[i], i === 0 ? cell : Number(cell)])));

describe('rankIntervals against an R simulation', () => {
  it.each(['overdispersed', 'homogeneous'])('%s: expected rank to 0.1 and interval ends to ±1 rank with 20 000 draws', (dataset) => {
    const set = rows.filter((row) => row.dataset === dataset);
    const result = rankIntervals(set.map((row) => row.pred as number), set.map((row) => row.pred_se as number), { draws: 20_000 });
    set.forEach((row, i) => {
      expect(Math.abs(result[i].expected - (row.expected_rank as number)), `provider ${row.provider}`).toBeLessThan(0.1);
      expect(Math.abs(result[i].lower - (row.lower_rank as number)), `provider ${row.provider}`).toBeLessThanOrEqual(1);
      expect(Math.abs(result[i].upper - (row.upper_rank as number)), `provider ${row.provider}`).toBeLessThanOrEqual(1);
    });
  });

  it('is the same for the same seed and ranks certain values exactly (1 = highest)', () => {
    const means = [3, 1, 2];
    expect(rankIntervals(means, [0.5, 0.5, 0.5], { seed: 7, draws: 200 })).toEqual(rankIntervals(means, [0.5, 0.5, 0.5], { seed: 7, draws: 200 }));
    expect(rankIntervals(means, [0, 0, 0], { draws: 10 })).toEqual([
      { expected: 1, lower: 1, upper: 1 },
      { expected: 3, lower: 3, upper: 3 },
      { expected: 2, lower: 2, upper: 2 },
    ]);
  });
});
