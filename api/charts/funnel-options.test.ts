import type { GraphicComponentOption, LegendComponentOption, TitleComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { funnelFixture, lineSeries, scatterSeries, seriesWithId } from './chart-fixtures';
import { bandText, funnelChartOptions, limitCurveName, type FunnelPointItem } from './funnel-options';
import { fadedOpacity, judgementStyles, markerOutline } from './palette';

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

  it('names and styles curves by coverage and kind: 99.8 % solid, 95 % dashed, unadjusted lighter beside adjusted', () => {
    const curves = lineSeries(funnelChartOptions(funnelFixture())).filter((series) => String(series.id).startsWith('limit-'));
    expect(curves.map((series) => series.name)).toEqual([
      '95 % limit (unadjusted)',
      '99.8 % limit (unadjusted)',
      '95 % limit (adjusted for overdispersion)',
      '99.8 % limit (adjusted for overdispersion)',
    ]);
    expect(curves.map((series) => series.lineStyle?.type)).toEqual(['dashed', 'solid', 'dashed', 'solid']);
    expect(curves[0].lineStyle?.color).not.toBe(curves[2].lineStyle?.color);
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

  it('draws the network emphasised and labelled over the faded others', () => {
    const options = funnelChartOptions(funnelFixture());
    const highlighted = scatterSeries(options).filter((series) => String(series.id).endsWith('-highlighted'));
    const faded = scatterSeries(options).filter((series) => String(series.id).endsWith('-faded'));
    expect(highlighted.flatMap((series) => (series.data as FunnelPointItem[]).map((item) => item.providerId)).sort()).toEqual(['RA1', 'RA2', 'RA3']);
    expect(faded.flatMap((series) => (series.data as FunnelPointItem[]).map((item) => item.providerId)).sort()).toEqual(['RB1', 'RB2', 'RB3', 'RB4']);
    for (const series of highlighted) {
      expect(series.itemStyle?.opacity).toBe(1);
      expect(series.label?.show).toBe(true);
      expect(Number(series.z)).toBeGreaterThan(Math.max(...faded.map((other) => Number(other.z))));
    }
    for (const series of faded) expect(series.itemStyle?.opacity).toBe(fadedOpacity);
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
      expect(series.itemStyle?.color).toBe(judgementStyles[judgement].colour);
      expect(series.symbol).toBe(judgementStyles[judgement].symbol);
      expect(series.name).toBe(judgementStyles[judgement].label);
      expect(series.itemStyle?.borderColor).toBe(markerOutline.colour);
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
