import { mean, sampleStandardDeviation } from 'simple-statistics';
import { describe, expect, it } from 'vitest';
import { nearestNeighbours, type NeighbourCandidate } from './nearest-neighbours';

/** A fixed pseudo-random sequence (a linear congruential generator), so the brute force sees varied data. */
function lcg(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/**
 * The brute force, written the other way round: standardise whole columns with simple-statistics, build the
 * full matrix of weighted distances between every pair, and read the target's row in order.
 */
function bruteForce(candidates: NeighbourCandidate[], target: string, weights: number[], k: number) {
  const rows = candidates.filter((c) => c.values.every((v) => v !== null));
  const columns = weights.map((_, a) => rows.map((row) => row.values[a] as number));
  const standardised = columns.map((column) => {
    const sd = sampleStandardDeviation(column);
    return column.map((x) => (sd === 0 ? 0 : (x - mean(column)) / sd));
  });
  const total = weights.reduce((s, w) => s + w, 0);
  const matrix = rows.map((_, i) => rows.map((__, j) => Math.sqrt(weights.reduce((s, w, a) => s + (w / total) * (standardised[a][i] - standardised[a][j]) ** 2, 0))));
  const t = rows.findIndex((row) => row.id === target);
  return rows
    .map((row, j) => ({ id: row.id, distance: matrix[t][j] }))
    .filter((row) => row.id !== target)
    .sort((a, b) => a.distance - b.distance || a.id.localeCompare(b.id))
    .slice(0, k);
}

describe('nearestNeighbours', () => {
  it('works a small example by hand: two attributes, equal weights', () => {
    // beds 100, 200, 300 → mean 200, sd 100 → z −1, 0, 1; decile 1, 1, 4 → mean 2, sd √3 → z −1/√3, −1/√3, 2/√3.
    const result = nearestNeighbours(
      [
        { id: 'A', values: [100, 1] },
        { id: 'B', values: [200, 1] },
        { id: 'C', values: [300, 4] },
      ],
      'A',
      [1, 1],
      2,
    );
    expect(result.attributes.map((a) => [a.mean, a.sd, a.share])).toEqual([
      [200, 100, 0.5],
      [2, Math.sqrt(3), 0.5],
    ]);
    // B: √(½·1² + ½·0²) = √½; C: √(½·2² + ½·(3/√3)²) = √(2 + 1.5).
    expect(result.neighbours.map((n) => n.id)).toEqual(['B', 'C']);
    expect(result.neighbours[0].distance).toBeCloseTo(Math.SQRT1_2, 12);
    expect(result.neighbours[1].distance).toBeCloseTo(Math.sqrt(3.5), 12);
    expect(result.neighbours[1].contributions[0]).toBeCloseTo(2, 12);
    expect(result.neighbours[1].contributions[1]).toBeCloseTo(1.5, 12);
  });

  it('agrees with a brute-force distance matrix on 300 random candidates, 5 attributes, unequal weights', () => {
    const random = lcg(42);
    const candidates: NeighbourCandidate[] = Array.from({ length: 300 }, (_, i) => ({
      id: `P${String(i).padStart(3, '0')}`,
      values: [random() * 1500, Math.ceil(random() * 10), 0.7 + random() * 0.6, random() < 0.05 ? null : random() * 50, 3],
    }));
    const weights = [2, 1, 1.5, 0.5, 1];
    for (const target of ['P000', 'P123', 'P299']) {
      if (candidates.find((c) => c.id === target)!.values.includes(null)) continue;
      const result = nearestNeighbours(candidates, target, weights, 10);
      const expected = bruteForce(candidates, target, weights, 10);
      expect(result.neighbours.map((n) => n.id)).toEqual(expected.map((n) => n.id));
      result.neighbours.forEach((n, i) => expect(n.distance).toBeCloseTo(expected[i].distance, 10));
      expect(result.incomplete).toEqual(candidates.filter((c) => c.values.includes(null)).map((c) => c.id));
    }
  });

  it('does not depend on the units an attribute is given in, and a zero weight ignores an attribute', () => {
    const random = lcg(7);
    const candidates = Array.from({ length: 50 }, (_, i) => ({ id: `P${i}`, values: [random() * 100, random()] }));
    const inThousands = candidates.map((c) => ({ ...c, values: [c.values[0] * 1000 + 5, c.values[1]] }));
    const a = nearestNeighbours(candidates, 'P3', [1, 1], 5);
    const b = nearestNeighbours(inThousands, 'P3', [1, 1], 5);
    expect(b.neighbours.map((n) => n.id)).toEqual(a.neighbours.map((n) => n.id));
    const onlyFirst = nearestNeighbours(candidates, 'P3', [1, 0], 5);
    const target = candidates[3].values[0];
    const byFirst = candidates.filter((c) => c.id !== 'P3').sort((x, y) => Math.abs(x.values[0] - target) - Math.abs(y.values[0] - target));
    expect(onlyFirst.neighbours.map((n) => n.id)).toEqual(byFirst.slice(0, 5).map((c) => c.id));
  });

  it('refuses a target without every chosen attribute, and bad weights', () => {
    const candidates = [
      { id: 'A', values: [1, null] },
      { id: 'B', values: [2, 3] },
      { id: 'C', values: [3, 4] },
    ];
    expect(() => nearestNeighbours(candidates, 'A', [1, 1], 1)).toThrow(/nearestNeighbours requires a target/);
    expect(() => nearestNeighbours(candidates, 'B', [0, 0], 1)).toThrow(/nearestNeighbours requires at least one weight/);
    expect(() => nearestNeighbours(candidates, 'B', [1, -1], 1)).toThrow(/nearestNeighbours requires/);
  });
});
