import { describe, expect, it } from 'vitest';
import { funnelAnalysis } from './funnel-analysis';

/** Above about 125,000 providers, spreading the precisions into Math.min overflowed the call stack. */
describe('funnels at national scale', () => {
  const count = 200_000;
  const denominators = Array.from({ length: count }, (_, i) => 50 + (i % 5_000));

  it('draws a proportion funnel of 200,000 providers whose curves span the smallest to the largest denominator', () => {
    const result = funnelAnalysis({
      measure: 'proportion',
      providers: denominators.map((denominator, i) => ({ id: `P${i}`, numerator: Math.round(denominator * (0.3 + ((i * 7919) % 100) / 1000)), denominator })),
      providerLimits: false,
    });
    const precisions = result.curves[0].points.map((point) => point.precision);
    expect(precisions[0]).toBe(50);
    expect(precisions.at(-1)).toBe(5_049);
    expect(result.providers).toHaveLength(count);
  });

  it('draws a normal funnel of 200,000 values with standard errors', () => {
    const result = funnelAnalysis({
      measure: 'normal',
      providers: denominators.map((denominator, i) => ({ id: `P${i}`, value: 4 + ((i * 7919) % 100) / 100, standardError: 1 / Math.sqrt(denominator) })),
      providerLimits: false,
    });
    expect(result.curves[0].points).toHaveLength(150);
    expect(result.providers).toHaveLength(count);
  });
});
