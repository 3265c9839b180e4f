/**
 * A small seeded pseudo-random generator for the demo data: the same seed gives the same numbers on every
 * machine and Node version, which Math.random cannot promise. Core: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, PractRand-clean) with its 128-bit state filled by splitmix32 from a 32-bit seed.
 */

export interface Random {
  /** Uniform on the open interval (0, 1), at 32-bit resolution, so log(u) and 1/u are always finite. */
  uniform(): number;
  /** Normal(mean, sd) by the Box–Muller transform (one variate per pair of uniforms, the sine one discarded). */
  normal(mean?: number, sd?: number): number;
  /** Poisson(mean): inversion below mean 10, Hörmann's PTRS transformed rejection from 10. Exact in both. */
  poisson(mean: number): number;
  /** Binomial(n, p): inversion below n·min(p, 1 − p) = 10, Hörmann's BTRS transformed rejection above. Exact. */
  binomial(n: number, p: number): number;
}

/** splitmix32 (Steele, Lea & Flood 2014, 32-bit variant with MurmurHash3's finaliser): a good seed expander. */
function splitmix32(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

function sfc32(a: number, b: number, c: number, d: number): () => number {
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
}

function requireSeed(seed: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`a random seed must be a safe integer, got ${seed}`);
}

/** Folds a safe integer (up to 2⁵³) into 32 bits, so seeds above 2³² still differ from each other. */
function fold(seed: number): number {
  return (seed ^ Math.floor(seed / 0x1_0000_0000)) >>> 0;
}

/**
 * An independent 32-bit seed for one named stream (e.g. one indicator and provider): FNV-1a over the parts,
 * started from the seed. Streams keep the demo stable: adding an indicator does not change any other's numbers.
 */
export function deriveSeed(seed: number, ...parts: string[]): number {
  requireSeed(seed);
  let hash = fold(seed) ^ 0x811c9dc5;
  for (const char of parts.join('\u0000')) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193);
  }
  return splitmix32(hash)();
}

// ln k! exactly (by summation) below 16; above, Stirling's series to k⁻⁵, whose error is below 1e-12 there.
const smallLogFactorials = Array.from({ length: 16 }, (_, k) => {
  let sum = 0;
  for (let i = 2; i <= k; i++) sum += Math.log(i);
  return sum;
});

function logFactorial(k: number): number {
  if (k < 16) return smallLogFactorials[k];
  const inverse = 1 / k;
  const inverseSquared = inverse * inverse;
  return (
    k * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI * k) +
    inverse * (1 / 12 - inverseSquared * (1 / 360 - inverseSquared / 1260))
  );
}

export function createRandom(seed: number): Random {
  requireSeed(seed);
  const expand = splitmix32(fold(seed));
  const next = sfc32(expand(), expand(), expand(), expand());
  // The generator's author recommends discarding the first outputs so the state is fully mixed.
  for (let i = 0; i < 12; i++) next();

  const uniform = () => (next() + 0.5) / 0x1_0000_0000;

  const normal = (mean = 0, sd = 1) => mean + sd * Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());

  /** Sequential-search inversion: expected cost mean + 1 uniforms' worth of multiplications, cheap below 10. */
  const poissonInversion = (mean: number) => {
    const u = uniform();
    let k = 0;
    let probability = Math.exp(-mean);
    let cumulative = probability;
    while (u > cumulative && probability > 0) {
      k++;
      probability *= mean / k;
      cumulative += probability;
    }
    return k;
  };

  /** PTRS: Hörmann, "The transformed rejection method for generating Poisson random variables" (1993), as in NumPy. */
  const poissonPtrs = (mean: number) => {
    const rootMean = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * rootMean;
    const a = -0.059 + 0.02483 * b;
    const inverseAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const acceptBelow = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= acceptBelow) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const logHat = Math.log(v) + Math.log(inverseAlpha) - Math.log(a / (us * us) + b);
      if (logHat <= -mean + k * logMean - logFactorial(k)) return k;
    }
  };

  /** Inversion with restart beyond mean + 10 sd (NumPy's random_binomial_inversion); here p ≤ ½ and n·p < 10. */
  const binomialInversion = (n: number, p: number) => {
    const q = 1 - p;
    const start = Math.exp(n * Math.log1p(-p));
    const bound = Math.min(n, n * p + 10 * Math.sqrt(n * p * q + 1));
    let k = 0;
    let probability = start;
    let u = uniform();
    while (u > probability) {
      k++;
      if (k > bound) {
        k = 0;
        probability = start;
        u = uniform();
      } else {
        u -= probability;
        probability = ((n - k + 1) * p * probability) / (k * q);
      }
    }
    return k;
  };

  /** BTRS: Hörmann, "The generation of binomial random variates" (1993), valid for p ≤ ½ and n·p ≥ 10. */
  const binomialBtrs = (n: number, p: number) => {
    const spread = Math.sqrt(n * p * (1 - p));
    const b = 1.15 + 2.53 * spread;
    const a = -0.0873 + 0.0248 * b + 0.01 * p;
    const c = n * p + 0.5;
    const acceptBelow = 0.92 - 4.2 / b;
    const alpha = (2.83 + 5.1 / b) * spread;
    const logOdds = Math.log(p / (1 - p));
    const mode = Math.floor((n + 1) * p);
    const logModeTerm = logFactorial(mode) + logFactorial(n - mode);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + c);
      if (k < 0 || k > n) continue;
      if (us >= 0.07 && v <= acceptBelow) return k;
      const logHat = Math.log((v * alpha) / (a / (us * us) + b));
      if (logHat <= logModeTerm - logFactorial(k) - logFactorial(n - k) + (k - mode) * logOdds) return k;
    }
  };

  const poisson = (mean: number) => {
    if (!(mean >= 0) || !Number.isFinite(mean)) throw new RangeError(`poisson requires a finite mean ≥ 0, got ${mean}`);
    if (mean === 0) return 0;
    return mean < 10 ? poissonInversion(mean) : poissonPtrs(mean);
  };

  const binomial = (n: number, p: number): number => {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`binomial requires a whole n ≥ 0, got ${n}`);
    if (!(p >= 0 && p <= 1)) throw new RangeError(`binomial requires p in [0, 1], got ${p}`);
    if (n === 0 || p === 0) return 0;
    if (p === 1) return n;
    // Both methods need p ≤ ½; the count of failures is drawn instead, which is exact.
    if (p > 0.5) return n - binomial(n, 1 - p);
    return n * p < 10 ? binomialInversion(n, p) : binomialBtrs(n, p);
  };

  return { uniform, normal, poisson, binomial };
}
