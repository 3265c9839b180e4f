import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { standardisedCusum } from './standardised-cusum';

// The path R computes in test/fixtures/cusum/generate.R: k = 0.5, h = 2, each side reset after it signals, gaps skipped.
const [, ...lines] = readFileSync(new URL('../../../test/fixtures/cusum/path.csv', import.meta.url), 'utf8').trim().split('\n');
const path = lines.map((line) => {
  const [z, upper, lower, signal] = line.split(',');
  const number = (cell: string) => (cell === '' ? null : Number(cell));
  return { z: number(z), upper: number(upper), lower: number(lower), signal: signal.replace(/"/g, '') || null };
});

describe('standardisedCusum (Page 1954 tabular CUSUM)', () => {
  it('follows the path R computes, resetting a side after it signals and carrying both over a gap', () => {
    const steps = standardisedCusum(
      path.map((row) => row.z),
      0.5,
      2,
    );
    steps.forEach((step, t) => {
      expect(step.signal).toBe(path[t].signal);
      if (path[t].upper === null) expect(step.upper).toBeNull();
      else expect(step.upper).toBeCloseTo(path[t].upper!, 12);
      if (path[t].lower === null) expect(step.lower).toBeNull();
      else expect(step.lower).toBeCloseTo(path[t].lower!, 12);
    });
    expect(steps.filter((step) => step.signal !== null)).toHaveLength(3);
  });

  it('does not signal at exactly h: the rule is S > h', () => {
    expect(standardisedCusum([2.5], 0.5, 2)[0]).toEqual({ upper: 2, lower: 0, signal: null });
  });

  it('returns nothing for no periods and refuses a negative k, a threshold of 0 and an infinite score', () => {
    expect(standardisedCusum([], 0.5, 4)).toEqual([]);
    expect(() => standardisedCusum([1], -0.5, 4)).toThrow(StatsInputError);
    expect(() => standardisedCusum([1], 0.5, 0)).toThrow(StatsInputError);
    expect(() => standardisedCusum([Number.POSITIVE_INFINITY], 0.5, 4)).toThrow(StatsInputError);
  });
});
