import { describe, expect, it } from 'vitest';
import { fromFunnelScale } from './from-funnel-scale';

describe('fromFunnelScale', () => {
  it('inverts each scale’s transform (Spiegelhalter 2005, Table 1)', () => {
    expect(fromFunnelScale('log', Math.log(1.2))).toBeCloseTo(1.2, 14);
    expect(fromFunnelScale('square-root', Math.sqrt(0.9))).toBeCloseTo(0.9, 14);
    expect(fromFunnelScale('arcsine', Math.asin(Math.sqrt(0.85)))).toBeCloseTo(0.85, 14);
    expect(fromFunnelScale('linear', -2.5)).toBe(-2.5);
  });

  it('holds values past a scale’s range at its edge', () => {
    expect(fromFunnelScale('square-root', -0.1)).toBe(0);
    expect(fromFunnelScale('arcsine', 2)).toBe(1);
    expect(fromFunnelScale('arcsine', -0.1)).toBe(0);
  });
});
