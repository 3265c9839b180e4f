import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { standardErrorAtPrecision, transformedLimits } from './transformed-limits';

const z95 = 1.9599639845400545;

describe('standardErrorAtPrecision', () => {
  it('is 1/√E on the log scale, 1/(2√n) on the square-root and arcsine scales, √(θ(1−θ)/n) untransformed', () => {
    expect(standardErrorAtPrecision('log', 100, 1)).toBe(0.1);
    expect(standardErrorAtPrecision('square-root', 25, 1)).toBe(0.1);
    expect(standardErrorAtPrecision('arcsine', 25, 0.3)).toBe(0.1);
    expect(standardErrorAtPrecision('proportion', 100, 0.5)).toBe(0.05);
  });

  it('for a ratio of counts is √(1/(θE) + 1/E), not FunnelPlotR 0.6.0\'s 1/(2√E)', () => {
    expect(standardErrorAtPrecision('log-ratio-of-counts', 100, 0.25)).toBeCloseTo(Math.sqrt(0.05), 15);
  });
});

describe('transformedLimits', () => {
  it('log scale with τ² = 0.02 at E = 100: exp(±1.96·√0.03) — FunnelPlotR limits grid row (0.712144, 1.404211)', () => {
    const limit = transformedLimits({ scale: 'log', target: 1, s: 0.1, coverage: 0.95, tau2: 0.02 });
    expect(limit.lower).toBeCloseTo(0.7121435873878059, 12);
    expect(limit.upper).toBeCloseTo(1.4042111980086378, 12);
  });

  it('square-root scale squares back, as Spiegelhalter (2005) does and FunnelPlotR 0.6.0 (issue #33) does not', () => {
    const limit = transformedLimits({ scale: 'square-root', target: 1, s: 0.1, coverage: 0.95 });
    expect(limit.lower).toBeCloseTo((1 - z95 * 0.1) ** 2, 14);
    expect(limit.upper).toBeCloseTo((1 + z95 * 0.1) ** 2, 14);
  });

  it('multiplicative φ widens the half-width by √φ: φ = 4 doubles it on the log scale', () => {
    const limit = transformedLimits({ scale: 'log', target: 1, s: 0.1, coverage: 0.95, phi: 4 });
    expect(limit.lower).toBeCloseTo(0.6757089811370457, 12);
    expect(limit.upper).toBeCloseTo(1.479927051313208, 12);
  });

  it('holds limits at the edge of the transformed range instead of letting them wrap or turn negative', () => {
    expect(transformedLimits({ scale: 'arcsine', target: 0.5, s: 1, coverage: 0.95 })).toEqual({ coverage: 0.95, lower: 0, upper: 1 });
    expect(transformedLimits({ scale: 'square-root', target: 1, s: 1, coverage: 0.998 }).lower).toBe(0);
    expect(transformedLimits({ scale: 'proportion', target: 0.9, s: 0.2, coverage: 0.95 }).upper).toBe(1);
  });

  it('spans the whole scale when s is infinite (precision 0)', () => {
    expect(transformedLimits({ scale: 'log-ratio-of-counts', target: 1.2, s: standardErrorAtPrecision('log-ratio-of-counts', 0, 1.2), coverage: 0.95 }))
      .toEqual({ coverage: 0.95, lower: 0, upper: Infinity });
  });

  it('rejects negative τ² and a non-positive target on a log scale', () => {
    expect(() => transformedLimits({ scale: 'log', target: 1, s: 0.1, coverage: 0.95, tau2: -1 })).toThrow(StatsInputError);
    expect(() => transformedLimits({ scale: 'log', target: 0, s: 0.1, coverage: 0.95 })).toThrow(
      new StatsInputError('transformedLimits requires a target greater than zero on a log scale'),
    );
  });
});
