import { describe, expect, it } from 'vitest';
import { caterpillarChartData, funnelChartData, precisionAxisLabel, targetLinesOf, valueAxisLabel, valueRange, type FunnelJson } from './api-chart-data';

/** A funnel answer as GET /api/funnel gives it, cut to what the charts read. */
function funnelJson(): FunnelJson {
  return {
    indicator: { code: 'CWT-62D', name: 'Cancer treatment within 62 days', unit: '%', multiplier: 100, measureKind: 'proportion', domain: 'Cancer', target: 85 },
    period: { label: '2025/26 Q2' },
    network: null,
    method: { measure: 'proportion', convention: 'spiegelhalter', adjustment: 'multiplicative', trimFraction: 0.1, trimMethod: 'winsorise', unadjustedLimits: 'exact', suppressionThreshold: 5, benchmark: 'all', benchmarkValue: 72.1 },
    target: 72.1,
    overdispersion: { phi: 2, tau2: 0.01, applied: true },
    curves: [],
    targetLines: [{ kind: 'operational', label: 'Operational standard', value: 75, source: 'NHS England', validFrom: '2024-04-01', validTo: null }],
    fdr: { level: 0.05, pThreshold: 0.001, zThreshold: 3.29, curve: [{ precision: 100, lower: 60, upper: 84 }] },
    providers: [
      {
        code: 'RA1', name: 'Northgate', suppressed: false, value: 48.6, lower: 44.5, upper: 52.7, z: -11.6, adjustedZ: -8.2, precision: 564, band: 'below-99.8', judgement: 'worse', inNetwork: null,
        shrunken: { value: 50.6, lower: 46.7, upper: 54.6 }, rank: { estimate: 38, lower: 38, upper: 38, of: 38 },
      },
      { code: 'RA2', name: 'Withheld', suppressed: true, value: null, lower: null, upper: null, z: null, adjustedZ: null, precision: null, band: null, judgement: null, inNetwork: null, shrunken: null, rank: null },
    ],
  };
}

describe('chart data from the API', () => {
  it('names the x-axis in the indicator’s words: expected deaths for a mortality ratio, the rate’s own denominator', () => {
    expect(precisionAxisLabel('ratio', { name: 'Hospital mortality ratio', unit: 'ratio', domain: 'Mortality' })).toBe('Expected deaths');
    expect(precisionAxisLabel('ratio', { name: 'Readmission ratio', unit: 'ratio', domain: 'Readmissions' })).toBe('Expected events');
    expect(precisionAxisLabel('rate', { name: 'C. difficile', unit: 'per 100,000 bed days' })).toBe('Bed days (denominator)');
    expect(precisionAxisLabel('proportion', { name: 'x', unit: '%' })).toBe('Cases counted (denominator)');
  });

  it('does not repeat a unit the name already says', () => {
    expect(valueAxisLabel({ name: 'Hospital mortality ratio (SHMI-like)', unit: 'ratio' })).toBe('Hospital mortality ratio (SHMI-like)');
    expect(valueAxisLabel({ name: 'Cancer treatment within 62 days', unit: '%' })).toBe('Cancer treatment within 62 days (%)');
  });

  it('bounds a proportion by 0 and its multiplier, and a ratio below by 0', () => {
    expect(valueRange(funnelJson())).toEqual({ min: 0, max: 100 });
    expect(valueRange({ ...funnelJson(), method: { ...funnelJson().method, measure: 'ratio' } })).toEqual({ min: 0 });
  });

  it('draws the indicator’s own target beside the lines in force, once', () => {
    expect(targetLinesOf(funnelJson())).toEqual([
      { label: 'Target', value: 85 },
      { label: 'Operational standard', value: 75 },
    ]);
    expect(targetLinesOf({ ...funnelJson(), indicator: { ...funnelJson().indicator, target: 75 } })).toEqual([{ label: 'Operational standard', value: 75 }]);
  });

  it('carries the FDR curve, the adjusted z and the benchmark’s kind to the funnel, and leaves the withheld provider off', () => {
    const data = funnelChartData(funnelJson());
    expect(data.fdrCurve).toEqual({ label: 'False discovery rate 5 % (Benjamini–Hochberg)', points: [{ precision: 100, lower: 60, upper: 84 }] });
    expect(data.providers).toHaveLength(1);
    expect(data.providers[0]).toMatchObject({ id: 'RA1', z: -11.6, adjustedZ: -8.2 });
    expect(data.benchmarkLabel).toBe('Benchmark (all providers)');
    const unadjusted = funnelChartData({ ...funnelJson(), overdispersion: { phi: 0.9, tau2: 0, applied: false } });
    expect(unadjusted.providers[0].adjustedZ).toBeUndefined();
    expect(funnelChartData({ ...funnelJson(), fdr: null }).fdrCurve).toBeUndefined();
  });

  it('carries shrunken estimates and rank intervals to the caterpillar', () => {
    const data = caterpillarChartData(funnelJson());
    expect(data.providers).toEqual([expect.objectContaining({ id: 'RA1', shrunken: { value: 50.6, lower: 46.7, upper: 54.6 }, rank: { estimate: 38, lower: 38, upper: 38, of: 38 } })]);
    expect(data.subtitle).toContain('shrunken estimates');
  });
});
