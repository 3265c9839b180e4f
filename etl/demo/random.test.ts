import { describe, expect, it } from 'vitest';
import { createRandom, deriveSeed } from './random';

const draws = 200_000;

/**
 * Checks the sample mean and variance against the distribution's, with Chebyshev bounds at 10 standard errors:
 * P(|error| ≥ 10 se) ≤ 1 %, whatever the distribution. The seed is fixed, so the tests cannot flake anyway; the
 * bound says how wrong a generator must be to fail. The variance's standard error is √((μ₄ − σ⁴) / N).
 */
function expectMoments(sample: number[], mean: number, variance: number, fourthCentralMoment: number) {
  const n = sample.length;
  const sampleMean = sample.reduce((sum, x) => sum + x, 0) / n;
  const sampleVariance = sample.reduce((sum, x) => sum + (x - sampleMean) ** 2, 0) / (n - 1);
  expect(Math.abs(sampleMean - mean)).toBeLessThan(10 * Math.sqrt(variance / n));
  expect(Math.abs(sampleVariance - variance)).toBeLessThan(10 * Math.sqrt((fourthCentralMoment - variance ** 2) / n));
}

/** Empirical frequencies against exact probabilities: a method can get the moments right and the shape wrong. */
function expectFrequencies(sample: number[], probability: (k: number) => number, ks: number[]) {
  for (const k of ks) {
    const p = probability(k);
    const frequency = sample.filter((x) => x === k).length / sample.length;
    expect(Math.abs(frequency - p)).toBeLessThan(10 * Math.sqrt((p * (1 - p)) / sample.length));
  }
}

const sampleOf = (seed: number, draw: (random: ReturnType<typeof createRandom>) => number) => {
  const random = createRandom(seed);
  return Array.from({ length: draws }, () => draw(random));
};

function logChoose(n: number, k: number): number {
  let sum = 0;
  for (let i = 1; i <= k; i++) sum += Math.log((n - k + i) / i);
  return sum;
}
const poissonProbability = (mean: number) => (k: number) => {
  let logP = -mean + k * Math.log(mean);
  for (let i = 2; i <= k; i++) logP -= Math.log(i);
  return Math.exp(logP);
};
const binomialProbability = (n: number, p: number) => (k: number) =>
  Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log1p(-p));

describe('createRandom', () => {
  it('repeats exactly for a seed and differs between seeds: the demo data must be reproducible', () => {
    const first = sampleOf(20261123, (r) => r.uniform()).slice(0, 100);
    expect(sampleOf(20261123, (r) => r.uniform()).slice(0, 100)).toEqual(first);
    expect(sampleOf(20261124, (r) => r.uniform()).slice(0, 100)).not.toEqual(first);
    const mixed = (seed: number) => {
      const r = createRandom(seed);
      return [r.normal(), r.poisson(3), r.poisson(400), r.binomial(50, 0.1), r.binomial(9000, 0.7)];
    };
    expect(mixed(7)).toEqual(mixed(7));
  });

  it('keeps seeds above 2³² apart instead of truncating them', () => {
    expect(createRandom(2 ** 40 + 5).uniform()).not.toBe(createRandom(5).uniform());
  });

  it('rejects seeds that are not safe integers', () => {
    expect(() => createRandom(1.5)).toThrow(RangeError);
  });

  it('draws uniforms strictly inside (0, 1) with mean ½ and variance 1/12', () => {
    const sample = sampleOf(1, (r) => r.uniform());
    expect(sample.every((u) => u > 0 && u < 1)).toBe(true);
    expectMoments(sample, 0.5, 1 / 12, 1 / 80);
  });

  it('draws normals with the requested mean and variance (μ₄ = 3σ⁴)', () => {
    expectMoments(sampleOf(2, (r) => r.normal(2, 3)), 2, 9, 3 * 81);
  });

  it.each([
    ['inversion', 3.5],
    ['inversion at the switch', 9.99],
    ['PTRS at the switch', 10],
    ['PTRS', 250],
  ])('draws Poisson variates by %s (mean %s): mean = variance = λ, μ₄ = λ(1 + 3λ)', (_, mean) => {
    const sample = sampleOf(3, (r) => r.poisson(mean));
    expect(sample.every((k) => Number.isInteger(k) && k >= 0)).toBe(true);
    expectMoments(sample, mean, mean, mean * (1 + 3 * mean));
  });

  it('matches the exact Poisson probabilities in the PTRS branch (λ = 15)', () => {
    expectFrequencies(sampleOf(4, (r) => r.poisson(15)), poissonProbability(15), [5, 10, 14, 15, 20, 28]);
  });

  it.each([
    ['inversion', 40, 0.1],
    ['BTRS', 5000, 0.3],
    ['BTRS on the failures (p > ½)', 1000, 0.93],
    ['inversion on the failures (p > ½)', 200, 0.97],
  ])('draws binomial variates by %s (n %s, p %s): μ₄ = npq(1 + 3pq(n − 2))', (_, n, p) => {
    const q = 1 - p;
    const sample = sampleOf(5, (r) => r.binomial(n, p));
    expect(sample.every((k) => Number.isInteger(k) && k >= 0 && k <= n)).toBe(true);
    expectMoments(sample, n * p, n * p * q, n * p * q * (1 + 3 * p * q * (n - 2)));
  });

  it('matches the exact binomial probabilities in the BTRS branch (n = 60, p = 0.4)', () => {
    expectFrequencies(sampleOf(6, (r) => r.binomial(60, 0.4)), binomialProbability(60, 0.4), [14, 20, 24, 25, 30, 36]);
  });

  it('returns the degenerate values without drawing and rejects impossible parameters', () => {
    const random = createRandom(8);
    expect([random.poisson(0), random.binomial(0, 0.5), random.binomial(10, 0), random.binomial(10, 1)]).toEqual([0, 0, 0, 10]);
    expect(() => random.poisson(-1)).toThrow(RangeError);
    expect(() => random.binomial(10, 1.2)).toThrow(RangeError);
    expect(() => random.binomial(2.5, 0.5)).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it('gives each named stream its own stable seed', () => {
    expect(deriveSeed(1, 'VA-SHMI', 'RZA')).toBe(deriveSeed(1, 'VA-SHMI', 'RZA'));
    expect(deriveSeed(1, 'VA-SHMI', 'RZA')).not.toBe(deriveSeed(1, 'VA-SHMI', 'RZB'));
    expect(deriveSeed(1, 'VA-SHMI', 'RZA')).not.toBe(deriveSeed(2, 'VA-SHMI', 'RZA'));
    // The separator keeps ('ab', 'c') and ('a', 'bc') apart.
    expect(deriveSeed(1, 'ab', 'c')).not.toBe(deriveSeed(1, 'a', 'bc'));
  });
});
