import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { benjaminiHochbergThreshold } from './benjamini-hochberg-threshold';

// R: p = 2·pnorm(−|z|), p.adjust(p, "BH"), p* = the largest p(i) ≤ i·level/m (test/fixtures/fdr/generate.R).
const read = (name: string) => {
  const [header, ...lines] = readFileSync(new URL(`../../../test/fixtures/fdr/${name}`, import.meta.url), 'utf8').trim().split('\n');
  const columns = header.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell === 'NA' ? null : Number(cell)])));
};
const zScores = read('z-scores.csv');
const thresholds = read('thresholds.csv');
const z = zScores.map((row) => row.z!);

describe('benjaminiHochbergThreshold against R', () => {
  it.each(thresholds.map((row) => [row.level!, row]))('level %s: p*, z* and the number of discoveries', (level, row) => {
    const result = benjaminiHochbergThreshold(z, level);
    if (row.p_threshold === null) {
      expect(result).toEqual({ pThreshold: null, zThreshold: null });
      return;
    }
    expect(result.pThreshold! / row.p_threshold).toBeCloseTo(1, 6);
    expect(result.zThreshold).toBeCloseTo(row.z_threshold!, 8);
    expect(z.filter((one) => Math.abs(one) >= result.zThreshold!).length).toBe(row.discoveries);
    // The discoveries are exactly the q-values at or below the level.
    expect(zScores.filter((one) => one.q! <= level).length).toBe(row.discoveries);
  });

  it('keeps z* finite where p* underflows to 0', () => {
    expect(benjaminiHochbergThreshold([45, 50, 0.1], 0.05)).toEqual({ pThreshold: 0, zThreshold: 45 });
  });
});
