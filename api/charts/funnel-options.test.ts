import type { GraphicComponentOption, LegendComponentOption, TitleComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { funnelFixture, lineSeries, scatterSeries, seriesWithId } from './chart-fixtures';
import { bandText, funnelChartOptions, funnelLabelRanks, limitCurveName, type FunnelPointItem } from './funnel-options';
import { fadedMarker, judgementStyles, markerOutline, nhsColours, tint } from './palette';

const pointItems = (options: ReturnType<typeof funnelChartOptions>) => scatterSeries(options).flatMap((series) => series.data as FunnelPointItem[]);

describe('funnelChartOptions', () => {
  it('draws one point per provider that is not suppressed, and leaves the suppressed one off', () => {
    const data = funnelFixture();
    const items = pointItems(funnelChartOptions(data));
    const expected = data.providers.filter((provider) => !provider.suppressed);
    expect(items).toHaveLength(expected.length);
    expect(items.map((item) => item.providerId).sort()).toEqual(expected.map((provider) => provider.id).sort());
    expect(items.map((item) => item.value)).toContainEqual([2400, 15.9]);
  });

  it('draws each limit curve as one series carrying its lower then upper points, split by a gap', () => {
    const data = funnelFixture();
    const curves = lineSeries(funnelChartOptions(data)).filter((series) => String(series.id).startsWith('limit-'));
    expect(curves).toHaveLength(data.curves.length);
    curves.forEach((series, index) => {
      const points = data.curves[index].points;
      // Without the '-' ECharts would join the last upper point to the first lower one across the plot.
      expect(series.data).toEqual([...points.map((point) => [point.precision, point.lower]), '-', ...points.map((point) => [point.precision, point.upper])]);
    });
  });

  it('names curves by coverage and kind, and gives each of the four its own dash pattern so greyscale print tells them apart', () => {
    const curves = lineSeries(funnelChartOptions(funnelFixture())).filter((series) => String(series.id).startsWith('limit-'));
    expect(curves.map((series) => series.name)).toEqual([
      '95 % limit (unadjusted)',
      '99.8 % limit (unadjusted)',
      '95 % limit (adjusted for overdispersion)',
      '99.8 % limit (adjusted for overdispersion)',
    ]);
    const patterns = curves.map((series) => JSON.stringify(series.lineStyle?.type));
    expect(new Set(patterns).size).toBe(4);
    expect(curves[3].lineStyle?.type).toBe('solid');
    // The unadjusted curves are lighter and thinner than the adjusted ones they sit beside.
    expect(curves[0].lineStyle?.color).not.toBe(curves[2].lineStyle?.color);
    expect(Number(curves[1].lineStyle?.width)).toBeLessThan(Number(curves[3].lineStyle?.width));
  });

  it('stops the value axis and the limit curves at the measure’s range (no percentage above 100)', () => {
    const data = funnelFixture();
    data.valueRange = { min: 0, max: 100 };
    data.target = 95;
    data.providers = data.providers.map((provider) => ({ ...provider, value: provider.value + 83 }));
    data.curves = data.curves.map((curve) => ({ ...curve, points: curve.points.map((point) => ({ ...point, lower: point.lower + 83, upper: point.upper + 83 })) }));
    const options = funnelChartOptions(data);
    expect((options.yAxis as { max: number }).max).toBe(100);
    const values = lineSeries(options)
      .filter((series) => String(series.id).startsWith('limit-'))
      .flatMap((series) => (series.data as (number[] | string)[]).filter((point): point is number[] => Array.isArray(point)).map((point) => point[1]));
    expect(Math.max(...values)).toBe(100);
    // Unclamped, the widest curve at the smallest provider reaches 95 + 3.09 × √1.8 × √(12 × 88 / 100) ≈ 108.
    expect(data.curves[3].points[0].upper).toBeGreaterThan(100);
  });

  it('draws every target in force as a labelled line, and the false discovery rate limits as a distinct named pair', () => {
    const data = funnelFixture();
    data.targetLines = [
      { label: 'Operational standard', value: 13 },
      { label: 'Local ambition', value: 11 },
    ];
    data.fdrCurve = { label: 'False discovery rate 5 % (Benjamini–Hochberg)', points: data.curves[0].points.map((point) => ({ ...point, lower: point.lower - 0.5, upper: point.upper + 0.5 })) };
    const options = funnelChartOptions(data);
    const targets = lineSeries(options).filter((series) => String(series.id).startsWith('target-'));
    expect(targets.map((series) => series.markLine?.data)).toEqual([[{ yAxis: 13 }], [{ yAxis: 11 }]]);
    expect(targets.map((series) => (series.markLine?.label as { formatter: string }).formatter)).toEqual(['Operational standard', 'Local ambition']);
    expect(targets.map((series) => series.name)).toEqual(['Operational standard: 13.0 %', 'Local ambition: 11.0 %']);
    const fdr = seriesWithId(options, 'fdr') as ReturnType<typeof lineSeries>[number];
    expect(fdr.name).toBe('False discovery rate 5 % (Benjamini–Hochberg)');
    expect((fdr.data as unknown[])[0]).toEqual([100, data.fdrCurve.points[0].lower]);
    expect(fdr.lineStyle?.color).toBe(nhsColours.red);
    const limitColours = lineSeries(options).filter((series) => String(series.id).startsWith('limit-')).map((series) => series.lineStyle?.color);
    expect(limitColours).not.toContain(fdr.lineStyle?.color);
    const legend = ((options.legend as LegendComponentOption).data ?? []).map((entry) => (typeof entry === 'object' ? entry.name : entry));
    expect(legend).toEqual(expect.arrayContaining(['Operational standard: 13.0 %', 'Local ambition: 11.0 %', 'False discovery rate 5 % (Benjamini–Hochberg)']));
    const description = (options.aria as { label: { description: string } }).label.description;
    expect(description).toContain('Operational standard: 13.0 %.');
  });

  it('says "(unadjusted)" only when adjusted curves are drawn beside the unadjusted ones', () => {
    expect(limitCurveName({ coverage: 0.998, kind: 'unadjusted' }, false)).toBe('99.8 % limit');
    expect(limitCurveName({ coverage: 0.998, kind: 'unadjusted' }, true)).toBe('99.8 % limit (unadjusted)');
    expect(limitCurveName({ coverage: 0.95, kind: 'adjusted' }, false)).toBe('95 % limit (adjusted for overdispersion)');
    const data = funnelFixture();
    data.curves = data.curves.filter((curve) => curve.kind === 'unadjusted');
    const names = lineSeries(funnelChartOptions(data)).map((series) => series.name);
    expect(names).toContain('95 % limit');
    expect(names).toContain('99.8 % limit');
  });

  it('draws the network emphasised and labelled over the tinted others, outlined in a grey with 3:1 on white', () => {
    const options = funnelChartOptions(funnelFixture());
    const highlighted = scatterSeries(options).filter((series) => String(series.id).endsWith('-highlighted'));
    const faded = scatterSeries(options).filter((series) => String(series.id).endsWith('-faded'));
    expect(highlighted.flatMap((series) => (series.data as FunnelPointItem[]).map((item) => item.providerId)).sort()).toEqual(['RA1', 'RA2', 'RA3']);
    expect(faded.flatMap((series) => (series.data as FunnelPointItem[]).map((item) => item.providerId)).sort()).toEqual(['RB1', 'RB2', 'RB3', 'RB4']);
    for (const series of highlighted) {
      expect(series.label?.show).toBe(true);
      expect(Number(series.z)).toBeGreaterThan(Math.max(...faded.map((other) => Number(other.z))));
    }
    for (const series of faded) {
      expect(series.itemStyle?.opacity).toBe(1);
      expect(series.itemStyle?.borderColor).toBe(fadedMarker.outline);
      expect(series.label?.show).toBe(false);
    }
  });

  it('ranks names worse beyond 99.8 % first, then better, then beyond 95 % worse side, then network members; largest |z| first within each', () => {
    const withNetwork = funnelFixture();
    const ranks = (data: ReturnType<typeof funnelFixture>, layout = {}) =>
      [...funnelLabelRanks(data.providers.filter((provider) => !provider.suppressed), layout)].sort((a, b) => a[1] - b[1]).map(([provider]) => provider.id);
    // Providers outside the network (RB…) are named on hover only.
    expect(ranks(withNetwork)).toEqual(['RA2', 'RA3', 'RA1']);
    const noNetwork = funnelFixture();
    noNetwork.providers = noNetwork.providers.map(({ highlighted: _, ...provider }) => provider);
    // Worse (RA2) before better, the larger |z| first among the better (RB3 −3.8, RA3 −3.2), then beyond 95 % on the worse side (RB4).
    expect(ranks(noNetwork)).toEqual(['RA2', 'RB3', 'RA3', 'RB4']);
    // A worse provider keeps its place ahead of a better one with the larger |z|.
    noNetwork.providers[1] = { ...noNetwork.providers[1], z: 3.1 };
    expect(ranks(noNetwork)[0]).toBe('RA2');
    // The adjusted z orders them where there is one.
    noNetwork.providers[5] = { ...noNetwork.providers[5], adjustedZ: -3.1 };
    expect(ranks(noNetwork).slice(1, 3)).toEqual(['RA3', 'RB3']);
  });

  it('puts the rank on each named item, hides the others’ names, and on a phone leaves network members within the limits unnamed and cuts names shorter', () => {
    const ranked = (options: ReturnType<typeof funnelChartOptions>) =>
      pointItems(options)
        .filter((item) => typeof (item as { labelRank?: number }).labelRank === 'number')
        .map((item) => item.providerId)
        .sort();
    expect(ranked(funnelChartOptions(funnelFixture()))).toEqual(['RA1', 'RA2', 'RA3']);
    expect(ranked(funnelChartOptions(funnelFixture(), { narrow: true }))).toEqual(['RA2', 'RA3']);
    expect((seriesWithId(funnelChartOptions(funnelFixture(), { narrow: true }), 'providers-as-expected-highlighted') as { label?: object }).label).toMatchObject({ show: false });
    const maxWidth = (options: ReturnType<typeof funnelChartOptions>) => Number((pointItems(options).find((item) => item.providerId === 'RA2') as { labelMaxWidth?: number }).labelMaxWidth);
    expect(maxWidth(funnelChartOptions(funnelFixture(), { narrow: true }))).toBeLessThan(maxWidth(funnelChartOptions(funnelFixture())));
    // No series sets a label width: ECharts would make every name's box that wide.
    expect(scatterSeries(funnelChartOptions(funnelFixture())).every((series) => (series.label as { width?: number }).width === undefined)).toBe(true);
  });

  it('fades no one when no network is chosen', () => {
    const data = funnelFixture();
    data.providers = data.providers.map(({ highlighted: _, ...provider }) => provider);
    const ids = scatterSeries(funnelChartOptions(data)).map((series) => String(series.id));
    expect(ids.every((id) => id.endsWith('-normal'))).toBe(true);
  });

  it('colours and shapes each judgement as the palette says, one key entry per judgement shown', () => {
    const options = funnelChartOptions(funnelFixture());
    for (const series of scatterSeries(options)) {
      const judgement = String(series.id).split('-').slice(1, -1).join('-') as keyof typeof judgementStyles;
      const faded = String(series.id).endsWith('-faded');
      expect(series.itemStyle?.color).toBe(faded ? tint(judgementStyles[judgement].colour, fadedMarker.tintShare) : judgementStyles[judgement].colour);
      expect(series.symbol).toBe(judgementStyles[judgement].symbol);
      expect(series.name).toBe(judgementStyles[judgement].label);
      expect(series.itemStyle?.borderColor).toBe(faded ? fadedMarker.outline : markerOutline.colour);
    }
    const legend = options.legend as LegendComponentOption;
    const names = (legend.data ?? []).map((entry) => (typeof entry === 'object' ? entry.name : entry));
    expect(names.slice(0, 3)).toEqual(['Worse than expected', 'Better than expected', 'As expected']);
  });

  it('puts the benchmark at the target and keeps every provider and the target inside the value axis', () => {
    const data = funnelFixture();
    const options = funnelChartOptions(data);
    const benchmark = seriesWithId(options, 'benchmark');
    expect(benchmark.type === 'line' && benchmark.markLine?.data).toEqual([{ yAxis: 12 }]);
    expect(benchmark.name).toBe('Benchmark: 12.0 %');
    const axis = options.yAxis as { min: number; max: number };
    for (const value of [...data.providers.filter((provider) => !provider.suppressed).map((provider) => provider.value), data.target]) {
      expect(value).toBeGreaterThanOrEqual(axis.min);
      expect(value).toBeLessThanOrEqual(axis.max);
    }
  });

  it('carries the tooltip as plain text on each point: provider, value, interval, precision, z and judgement', () => {
    const riverside = pointItems(funnelChartOptions(funnelFixture())).find((item) => item.providerId === 'RA2');
    expect(riverside?.tooltipTitle).toBe('Riverside NHS Trust');
    expect(riverside?.tooltipLines).toEqual([
      'Readmitted (%): 15.9 %',
      '95 % interval: 14.5 to 17.4 %',
      'Discharges (denominator): 2,400',
      'z-score: 5.80',
      'Worse than expected (above the 99.8 % limit)',
    ]);
  });

  it('names the adjusted z, on which the judgement rests, first and the unadjusted beside it', () => {
    const data = funnelFixture();
    data.providers[1].adjustedZ = 3.4;
    const riverside = pointItems(funnelChartOptions(data)).find((item) => item.providerId === 'RA2');
    expect(riverside?.tooltipLines[3]).toBe('z-score adjusted for overdispersion: 3.40 (unadjusted 5.80)');
  });

  it('describes the chart for screen readers and writes the source, method and suppression under it', () => {
    const options = funnelChartOptions(funnelFixture());
    const aria = options.aria as { enabled: boolean; label: { description: string } };
    expect(aria.enabled).toBe(true);
    expect(aria.label.description).toContain('Funnel plot of 7 providers');
    expect(aria.label.description).toContain('1 worse than expected, 2 better than expected, 4 as expected');
    expect(aria.label.description).toContain('Riverside NHS Trust (worse than expected)');
    const footnote = (options.graphic as GraphicComponentOption[])[0] as { style: { text: string } };
    expect(footnote.style.text.split('\n')).toEqual([
      'Source: Hospital Episode Statistics (fictional data)',
      'Limits: normal approximation to the binomial; overdispersion: multiplicative φ = 1.8, 10 % winsorised.',
      '1 provider not shown: small numbers suppressed.',
    ]);
    const title = options.title as TitleComponentOption;
    expect([title.text, title.subtext]).toEqual(['Emergency readmissions within 30 days', 'April 2024 to March 2025']);
  });

  it('leaves providers a log axis cannot place off, and says so', () => {
    const data = funnelFixture();
    data.xAxisScale = 'log';
    data.providers[3].precision = 0;
    const options = funnelChartOptions(data);
    expect(pointItems(options)).toHaveLength(6);
    expect((options.xAxis as { type: string }).type).toBe('log');
    expect(((options.graphic as GraphicComponentOption[])[0] as { style: { text: string } }).style.text).toContain('1 provider not shown: no value for the period.');
  });
});

describe('bandText', () => {
  it('reads the band of a provider as words', () => {
    expect(bandText('within')).toBe('within the limits');
    expect(bandText('above-99.8')).toBe('above the 99.8 % limit');
    expect(bandText('below-95')).toBe('below the 95 % limit');
  });
});
