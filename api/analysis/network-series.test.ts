import { describe, expect, it } from 'vitest';
import { networkSeries, pooledFigures, type MemberObservation } from './network-series';
import { pooledValue } from './pooled-value';
import { providerSpc } from './provider-spc';
import { withhold } from './suppression';
import type { IndicatorDefinition } from './types';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };
const quarter = (i: number) => ({ period: `Q${i + 1}`, startDate: `2024-0${i + 1}-01`, endDate: `2024-0${i + 1}-28` });
const proportion: IndicatorDefinition = { code: 'P', name: 'Seen in time', measureKind: 'proportion', polarity: 'higher_is_better', multiplier: 100, unit: '%', target: null };
const ratio: IndicatorDefinition = { ...proportion, measureKind: 'indirectly_standardised_ratio', multiplier: 1, unit: 'ratio', polarity: 'lower_is_better' };
const mean: IndicatorDefinition = { ...proportion, measureKind: 'mean', multiplier: 1, unit: 'days', polarity: 'no_judgement' };

describe('pooledFigures', () => {
  it('sums numerators and denominators, passing over a member without counts', () => {
    const rows = [
      { ...none, numerator: 30, denominator: 100 },
      { ...none, numerator: 50, denominator: 200 },
      { ...none, value: 40 },
    ];
    expect(pooledFigures(proportion, rows)).toMatchObject({ numerator: 80, denominator: 300, providers: 2 });
  });

  it('sums observed and expected for a standardised ratio, so O/E is the pooled ΣO/ΣE', () => {
    const rows = [
      { ...none, observed: 12, expected: 10 },
      { ...none, observed: 9, expected: 11 },
    ];
    const pooled = pooledFigures(ratio, rows);
    expect(pooled).toMatchObject({ observed: 21, expected: 21, providers: 2 });
    expect(pooled.observed! / pooled.expected!).toBe(pooledValue(ratio, rows).value);
  });

  it('pools published means by inverse variance, as the network measure does', () => {
    const rows = [
      { ...none, value: 4.5, valueLower: 4.1, valueUpper: 4.9 },
      { ...none, value: 5.2, valueLower: 4.4, valueUpper: 6.0 },
    ];
    const pooled = pooledFigures(mean, rows);
    expect(pooled).toMatchObject({ value: pooledValue(mean, rows).value, providers: 2, numerator: null });
  });

  it('has no figures when no member has counts, so the SPC chart leaves the period out', () => {
    expect(pooledFigures(proportion, [{ ...none, value: 3 }])).toMatchObject({ numerator: null, denominator: null, providers: 0 });
  });
});

describe('networkSeries', () => {
  const rows: MemberObservation[] = [
    { ...none, ...quarter(0), numerator: 70, denominator: 100 },
    { ...none, ...quarter(0), numerator: 150, denominator: 200 },
    { ...none, ...quarter(1), numerator: 80, denominator: 100 },
    { ...none, ...quarter(2), numerator: 60, denominator: 100 },
    { ...none, ...quarter(2), numerator: 30, denominator: 100 },
  ];

  it('pools each period in order, counting the members that reported', () => {
    expect(networkSeries(proportion, rows)).toEqual([
      { ...none, ...quarter(0), suppressed: false, numerator: 220, denominator: 300, providers: 2 },
      { ...none, ...quarter(1), suppressed: false, numerator: 80, denominator: 100, providers: 1 },
      { ...none, ...quarter(2), suppressed: false, numerator: 90, denominator: 200, providers: 2 },
    ]);
  });

  it("charts as a p-chart whose points are the network's pooled values", () => {
    const chart = providerSpc(proportion, networkSeries(proportion, rows), {});
    expect(chart.points.map((point) => point.value)).toEqual([(100 * 220) / 300, 80, (100 * 90) / 200]);
    expect(chart.points[0].centre).toBeCloseTo((100 * 390) / 600, 10);
  });

  it('pools only the published members of a period: a withheld member adds nothing and is not counted', () => {
    const withheld = [...rows.slice(0, 4), withhold({ ...none, ...quarter(2), numerator: 3, denominator: 10 })];
    expect(networkSeries(proportion, withheld)[2]).toEqual({ ...none, ...quarter(2), suppressed: false, numerator: 60, denominator: 100, providers: 1 });
  });
});
