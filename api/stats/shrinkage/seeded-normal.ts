/**
 * A deterministic source of standard normal draws from a 32-bit seed: the mulberry32 generator
 * (Tommy Ettinger, public domain; period 2³²) feeding the Marsaglia–Bray polar method
 * (Marsaglia & Bray 1964, SIAM Review 6:260). The same seed gives the same draws on every platform,
 * so simulated rank intervals are reproducible.
 */
export function seededNormal(seed: number): () => number {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    for (;;) {
      const u = 2 * uniform() - 1;
      const v = 2 * uniform() - 1;
      const r = u * u + v * v;
      if (r > 0 && r < 1) {
        const factor = Math.sqrt((-2 * Math.log(r)) / r);
        spare = v * factor;
        return u * factor;
      }
    }
  };
}
