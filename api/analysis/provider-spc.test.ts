import { describe, expect, it } from 'vitest';
import { providerSpc, SpcNotAvailableError, spcKind, type SeriesObservation } from './provider-spc';
import { withhold } from './suppression';
import type { IndicatorDefinition } from './types';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false };
const quarter = (i: number) => ({ period: `Q${i + 1}`, startDate: `2024-0${(i % 9) + 1}-01`, endDate: `2024-0${(i % 9) + 1}-28` });
const proportion: IndicatorDefinition = { code: 'P', name: 'Seen in time', measureKind: 'proportion', polarity: 'higher_is_better', multiplier: 100, unit: '%', target: 85 };
const counts = (pairs: [number, number][]): SeriesObservation[] => pairs.map(([numerator, denominator], i) => ({ ...none, ...quarter(i), numerator, denominator }));

describe('spcKind', () => {
  it.each([
    ['proportion', 'p'],
    ['crude_rate', 'u'],
    ['indirectly_standardised_ratio', 'u'],
    ['directly_standardised_rate', 'xmr'],
    ['mean', 'xmr'],
  ] as const)('draws a %s on a %s chart', (measureKind, kind) => {
    expect(spcKind(measureKind)).toBe(kind);
  });
});

describe('providerSpc', () => {
  const series = counts([
    [70, 100],
    [72, 100],
    [68, 100],
    [75, 100],
    [71, 100],
    [69, 100],
  ]);

  it('draws a p-chart on the display scale: centre Σx/Σn × 100, limits ± 3√(p̄(1 − p̄)/n) × 100', () => {
    const chart = providerSpc(proportion, series, {});
    const pBar = 425 / 600;
    expect(chart.kind).toBe('p');
    expect(chart.points[0].centre).toBeCloseTo(100 * pBar, 10);
    expect(chart.points[0].upperLimit).toBeCloseTo(100 * (pBar + 3 * Math.sqrt((pBar * (1 - pBar)) / 100)), 10);
    expect(chart.points[3]).toMatchObject({ period: 'Q4', value: 75, numerator: 75, denominator: 100 });
    expect(chart.settings).toMatchObject({ kind: 'p', improvementDirection: 'increase', target: 85, multiplier: 100 });
    // 85 % lies above every upper limit (≈ 84.5 %): with increase better the target will consistently be failed.
    expect(chart.assurance).toBe('consistent_fail');
    expect(chart.variation).toBe('common_cause');
  });

  describe('with a suppressed period', () => {
    // Q3 withheld: its true count (3 or 4 of 100) must not reach any centre or limit.
    const withQ3 = (small: number) => counts([[50, 100], [52, 100], [small, 100], [49, 100], [55, 100], [51, 100]]).map((row) => (row.period === 'Q3' ? withhold(row) : row));
    const publishedOnly = withQ3(3).filter((row) => !row.suppressed);

    it('computes the centre and limits from the published points alone, whatever the withheld count', () => {
      const alone = providerSpc(proportion, publishedOnly, {});
      for (const small of [3, 4]) {
        const chart = providerSpc(proportion, withQ3(small), {});
        expect(chart.points.filter((point) => !point.suppressed)).toEqual(alone.points);
        expect(chart.segments).toEqual(alone.segments);
      }
      expect(alone.points[0].centre).toBeCloseTo((100 * 257) / 500, 10);
    });

    it('keeps the period as a point with no figures or limits, in the segment and under the centre of the point before it', () => {
      const chart = providerSpc(proportion, withQ3(4), { rebaseAt: ['Q4'] });
      expect(chart.points.map((point) => point.period)).toEqual(['Q1', 'Q2', 'Q3', 'Q4', 'Q5', 'Q6']);
      expect(chart.points[2]).toMatchObject({ suppressed: true, value: null, numerator: null, denominator: null, lowerLimit: null, upperLimit: null, rule: null, segment: 0 });
      expect(chart.points[2].centre).toBe(chart.points[1].centre);
      expect(chart.points[1].centre).toBeCloseTo((100 * 102) / 200, 10);
      expect(chart.segments[1].centre).toBeCloseTo((100 * 155) / 300, 10);
      expect(chart.excluded).toEqual([]);
    });

    it('cannot start a segment at it, so no segment can be the withheld period alone', () => {
      expect(() => providerSpc(proportion, withQ3(4), { rebaseAt: ['Q3', 'Q4'] })).toThrow(expect.objectContaining({ parameter: 'rebase', message: expect.stringContaining('"Q3" is suppressed') }));
    });
  });

  it('charts an indirectly standardised ratio as observed per expected on a u-chart, with a decrease being better', () => {
    const ratio: IndicatorDefinition = { ...proportion, measureKind: 'indirectly_standardised_ratio', polarity: 'lower_is_better', multiplier: 1, unit: 'ratio', target: null };
    const rows = [[120, 100], [90, 100], [105, 110]].map(([observed, expected], i) => ({ ...none, ...quarter(i), observed, expected }));
    const chart = providerSpc(ratio, rows, {});
    expect(chart.kind).toBe('u');
    expect(chart.points[0].value).toBeCloseTo(1.2, 12);
    expect(chart.points[0].centre).toBeCloseTo(315 / 310, 12);
    expect(chart.settings.improvementDirection).toBe('decrease');
    expect(chart.assurance).toBeNull();
  });

  it('charts published means on an XmR chart, neutral without a polarity, and lists periods without a value', () => {
    const mean: IndicatorDefinition = { ...proportion, measureKind: 'mean', polarity: 'no_judgement', multiplier: 1, unit: 'days', target: null };
    const rows = [4.5, 4.7, null, 4.6, 4.4].map((value, i) => ({ ...none, ...quarter(i), value }));
    const chart = providerSpc(mean, rows, {});
    expect(chart.kind).toBe('xmr');
    expect(chart.points.map((point) => point.value)).toEqual([4.5, 4.7, 4.6, 4.4]);
    expect(chart.points[0].centre).toBeCloseTo(4.55, 12);
    expect(chart.excluded).toEqual([{ period: 'Q3', reason: 'no published value' }]);
    expect(chart.settings).toMatchObject({ improvementDirection: 'neutral', screenMovingRanges: true });
  });

  it('rebases at period labels and fixes the baseline length', () => {
    const chart = providerSpc(proportion, series, { rebaseAt: ['Q4'], baselineLength: 2 });
    expect(chart.segments.map((segment) => [segment.startPeriod, segment.baselineLength])).toEqual([['Q1', 2], ['Q4', 2]]);
    expect(chart.segments[1].centre).toBeCloseTo((100 * 146) / 200, 10);
    expect(chart.settings.rebasePeriods).toEqual(['Q4']);
  });

  it('names the parameter at fault for a rebase or baseline the series cannot take', () => {
    const fault = (options: Parameters<typeof providerSpc>[2]) => {
      try {
        providerSpc(proportion, series, options);
      } catch (error) {
        return error instanceof SpcNotAvailableError ? error.parameter : error;
      }
    };
    expect(fault({ rebaseAt: ['Q1'] })).toBe('rebase');
    expect(fault({ rebaseAt: ['1999'] })).toBe('rebase');
    expect(fault({ baselineLength: 7 })).toBe('baseline');
  });

  it("chooses Laney's p′ chart by default for overdispersed counts, and names the rule and σ_z", () => {
    const pairs: [number, number][] = [[700, 1000], [760, 1000], [690, 1000], [780, 1000], [710, 1000], [650, 1000]];
    const chart = providerSpc(proportion, counts(pairs), {});
    // p̄ = 0.715, σ = √(0.715 × 0.285 / 1000); σ_z = mean |Δz| / 1.128 ≈ 4.35, far above √(χ²₀.₉₅(3.1) / 3.1) ≈ 1.61.
    const sigma = Math.sqrt((0.715 * 0.285) / 1000);
    const z = pairs.map(([x, n]) => (x / n - 0.715) / sigma);
    const sigmaZ = z.slice(1).reduce((total, value, i) => total + Math.abs(value - z[i]), 0) / 5 / 1.128;
    expect(chart.kind).toBe('pprime');
    expect(chart.settings.chartChoice).toMatchObject({ chart: 'pprime', rule: 'laney_sigma_z_overdispersion', sigmaZ: expect.closeTo(sigmaZ, 10), requested: false });
    expect(chart.points[0].upperLimit).toBeCloseTo(100 * (0.715 + 3 * sigma * sigmaZ), 9);
    // Asked for, the p chart is drawn and the choice says so.
    const plain = providerSpc(proportion, counts(pairs), { chart: 'p' });
    expect(plain.settings.chartChoice).toEqual({ chart: 'p', rule: null, sigmaZ: null, threshold: null, requested: true });
    expect(plain.points[0].upperLimit).toBeCloseTo(100 * (0.715 + 3 * sigma), 9);
  });

  it('draws a proportion as an XmR chart of its values on the display scale when asked, and refuses a chart of another measure', () => {
    const chart = providerSpc(proportion, series, { chart: 'xmr', screenMovingRanges: false });
    const values = [70, 72, 68, 75, 71, 69];
    const movingRange = (2 + 4 + 7 + 4 + 2) / 5;
    expect(chart.kind).toBe('xmr');
    expect(chart.points.map((point) => point.value)).toEqual(values);
    expect(chart.points[0]).toMatchObject({ centre: expect.closeTo(425 / 6, 10), upperLimit: expect.closeTo(425 / 6 + 2.66 * movingRange, 10) });
    expect(() => providerSpc(proportion, series, { chart: 'uprime' })).toThrow(expect.objectContaining({ parameter: 'chart' }));
    const mean: IndicatorDefinition = { ...proportion, measureKind: 'mean', target: null };
    expect(() => providerSpc(mean, [4, 5, 6].map((value, i) => ({ ...none, ...quarter(i), value })), { chart: 'p' })).toThrow('chart: a mean can be drawn as xmr, not p');
  });

  it('gives each point the target in force at its period end, and judges assurance against the one in force at the last point', () => {
    const national = { network: null, note: null, source: 'NHS planning guidance' };
    const targets = [
      { ...national, kind: 'constitutional' as const, validFrom: '2024-01-01', validTo: '2024-04-01', value: 95 },
      { ...national, kind: 'operational' as const, validFrom: '2024-04-01', validTo: null, value: 70 },
    ];
    const chart = providerSpc(proportion, series, { targets });
    expect(chart.points.map((point) => point.target)).toEqual([95, 95, 95, 70, 70, 70]);
    expect(chart.settings.target).toBe(70);
    expect(chart.settings.targets).toEqual([
      { fromPeriod: 'Q1', value: 95, kind: 'constitutional', source: 'NHS planning guidance' },
      { fromPeriod: 'Q4', value: 70, kind: 'operational', source: 'NHS planning guidance' },
    ]);
    // 70 % lies between the limits (centre 70.8 %): hit and miss, where the indicator's own 85 % would consistently fail.
    expect(chart.assurance).toBe('inconsistent');
    expect(providerSpc(proportion, series, {}).settings.targets).toEqual([{ fromPeriod: 'Q1', value: 85, kind: 'indicator', source: null }]);
  });

  it('cannot draw an XmR chart from one value', () => {
    const mean: IndicatorDefinition = { ...proportion, measureKind: 'mean', target: null };
    expect(() => providerSpc(mean, [{ ...none, ...quarter(0), value: 4 }], {})).toThrow('an XmR chart needs at least 2 period(s) with figures; this series has 1');
  });
});
