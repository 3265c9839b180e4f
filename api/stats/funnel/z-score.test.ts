import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { funnelZScore } from './z-score';

// Expected values hand-computed from the formulae of Spiegelhalter 2005 (QSHC 14:347, Table 1) and methods.md.
describe('funnelZScore', () => {
  it('log scale (SHMI): z = √E·ln(O/E); O = 100, E = 108 gives −0.79980 (FunnelPlotR small6 group a)', () => {
    const result = funnelZScore('log', 100, 108, 1);
    expect(result.y).toBeCloseTo(Math.log(100 / 108), 15);
    expect(result.s).toBeCloseTo(1 / Math.sqrt(108), 15);
    expect(result.targetTransformed).toBe(0);
    expect(result.z).toBeCloseTo(-0.7998026007070359, 12);
  });

  it('square-root scale (CQC): z = 2√E(√(O/E) − 1) = 2(√O − √E)', () => {
    expect(funnelZScore('square-root', 100, 108, 1).z).toBeCloseTo(-0.784609690826528, 12);
    expect(funnelZScore('square-root', 100, 108, 1).z).toBeCloseTo(2 * (Math.sqrt(100) - Math.sqrt(108)), 12);
  });

  it('arcsine scale: z = 2√n(asin√p − asin√θ); 16/58 against 0.3 gives −0.40606', () => {
    expect(funnelZScore('arcsine', 16, 58, 0.3).z).toBeCloseTo(-0.40606362551085495, 12);
  });

  it('untransformed proportion: z = (p − θ)/√(θ(1 − θ)/n)', () => {
    expect(funnelZScore('proportion', 16, 58, 0.3).z).toBeCloseTo(-0.40114777854287686, 12);
  });

  it('ratio of counts: y = ln((O+½)/(E+½)), s = √(O/(O+½)² + E/(E+½)²), about ln θ', () => {
    const result = funnelZScore('log-ratio-of-counts', 16, 42, 0.5);
    expect(result.y).toBeCloseTo(-0.9461436950238362, 14);
    expect(result.s).toBeCloseTo(0.28639502172816694, 14);
    expect(result.z).toBeCloseTo(-0.8833830732715168, 12);
  });

  it('O = 0 on the log scale adds half an event to O and to θE so z stays finite (FunnelPlotR would give −∞ and an infinite φ)', () => {
    // y = ln(½θ / (θE + ½)) = ln(0.5 / 20.5), s = 1/√20.
    expect(funnelZScore('log', 0, 20, 1).z).toBeCloseTo(Math.log(0.5 / 20.5) * Math.sqrt(20), 12);
  });

  it('O = 0 on the log scale stays below the target even when E is under ½ (found by test/property/funnel)', () => {
    expect(funnelZScore('log', 0, 0.5, 1).z).toBeLessThan(0);
    expect(funnelZScore('log', 0, 0.01, 0.8).z).toBeLessThan(0);
  });

  it('numerator = denominator works on the arcsine scale (y = π/2) and 0 gives y = 0', () => {
    expect(funnelZScore('arcsine', 5, 5, 0.5).y).toBeCloseTo(Math.PI / 2, 15);
    expect(funnelZScore('arcsine', 0, 5, 0.5).y).toBe(0);
  });

  it('a ratio of counts may have a zero denominator count (medpar providers with no survivors)', () => {
    expect(funnelZScore('log-ratio-of-counts', 1, 0, 1).y).toBeCloseTo(Math.log(3), 15);
    expect(() => funnelZScore('log-ratio-of-counts', 0, 0, 1)).toThrow(StatsInputError);
  });

  it('an untransformed proportion with θ = 0 has no spread: z is 0 at the target', () => {
    expect(funnelZScore('proportion', 0, 10, 0).z).toBe(0);
  });

  it('rejects invalid input with one message format', () => {
    expect(() => funnelZScore('log', 5, 0, 1)).toThrow(new StatsInputError('funnelZScore requires a finite denominator greater than zero'));
    expect(() => funnelZScore('log', -1, 5, 1)).toThrow(new StatsInputError('funnelZScore requires a finite numerator of at least zero'));
    expect(() => funnelZScore('log', Number.NaN, 5, 1)).toThrow(StatsInputError);
    expect(() => funnelZScore('arcsine', 6, 5, 0.5)).toThrow(new StatsInputError('funnelZScore requires a numerator no greater than the denominator for a proportion'));
    expect(() => funnelZScore('log', 5, 5, 0)).toThrow(new StatsInputError('funnelZScore requires a target greater than zero'));
  });
});
