import { describe, expect, it } from 'vitest';
import { shmiBand } from './shmi-band';

describe('shmiBand (NHS Digital SHMI banding)', () => {
  it('bands against exp(±1.96·√(1/E + τ²)): at E = 100 and τ² = 0.02 the limits are 0.7121 and 1.4042', () => {
    expect(shmiBand(1.41, 100, 0.02)).toBe(1);
    expect(shmiBand(1.4, 100, 0.02)).toBe(2);
    expect(shmiBand(0.72, 100, 0.02)).toBe(2);
    expect(shmiBand(0.71, 100, 0.02)).toBe(3);
  });

  it('uses τ² = 0 when there is no overdispersion: upper limit exp(0.196) = 1.2165 at E = 100', () => {
    expect(shmiBand(1.22, 100, 0)).toBe(1);
    expect(shmiBand(1.22, 100, 0.02)).toBe(2);
  });
});
