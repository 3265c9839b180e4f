import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { tau2ConfidenceInterval } from './tau2-confidence-interval';

// metafor 3.8.1: rma(yi, vi, method = "DL") then confint(level = 95); test/fixtures/tau2/generate.R.
const fixture = (file: string) => {
  const [header, ...lines] = readFileSync(new URL(`../../../test/fixtures/tau2/${file}`, import.meta.url), 'utf8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell])));
};
const values = fixture('values.csv');
const intervals = fixture('intervals.csv');

describe('tau2ConfidenceInterval (Q-profile, Viechtbauer 2007)', () => {
  it.each(intervals.map((row) => [row.dataset, row] as const))('%s: Q and the 95 %% limits as metafor confint() gives them', (dataset, expected) => {
    const rows = values.filter((row) => row.dataset === dataset);
    const interval = tau2ConfidenceInterval(
      rows.map((row) => Number(row.y)),
      rows.map((row) => Math.sqrt(Number(row.v))),
    );
    expect(rows.length).toBe(Number(expected.k));
    expect(interval.df).toBe(rows.length - 1);
    expect(interval.q).toBeCloseTo(Number(expected.Q), 6);
    expect(interval.lower).toBeCloseTo(Number(expected.lower), 6);
    expect(interval.upper).toBeCloseTo(Number(expected.upper), 6);
  });

  it('narrows as the coverage falls, and holds both limits at 0 when the values vary less than chance', () => {
    const y = [0.2, -0.1, 0.4, 0.05, -0.3];
    const s = [0.1, 0.12, 0.08, 0.2, 0.15];
    const wide = tau2ConfidenceInterval(y, s, 0.95);
    const narrow = tau2ConfidenceInterval(y, s, 0.8);
    expect(narrow.lower).toBeGreaterThan(wide.lower);
    expect(narrow.upper).toBeLessThan(wide.upper);
    expect(tau2ConfidenceInterval([1, 1, 1], [0.1, 0.2, 0.3])).toMatchObject({ lower: 0, upper: 0, q: 0 });
  });

  it('rejects one provider, unmatched or non-positive standard errors and a coverage outside (0, 1)', () => {
    expect(() => tau2ConfidenceInterval([1], [0.1])).toThrow(new StatsInputError('tau2ConfidenceInterval requires at least two providers'));
    expect(() => tau2ConfidenceInterval([1, 2], [0.1])).toThrow(StatsInputError);
    expect(() => tau2ConfidenceInterval([1, 2], [0.1, 0])).toThrow(StatsInputError);
    expect(() => tau2ConfidenceInterval([1, 2], [0.1, 0.2], 1)).toThrow(StatsInputError);
  });
});
