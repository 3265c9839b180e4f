import type { CustomSeriesOption, GraphicComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { type CaterpillarPointItem, caterpillarChartOptions, rankRange, rowHeights } from './caterpillar-options';
import { caterpillarFixture, scatterSeries, seriesWithId } from './chart-fixtures';
import { fadedMarker, judgementStyles } from './palette';

type CategoryAxis = { data: { value: string; textStyle: { fontWeight?: string } }[] };

describe('caterpillarChartOptions', () => {
  it('ranks the providers that are not suppressed from lowest (bottom row) to highest', () => {
    const options = caterpillarChartOptions(caterpillarFixture());
    const rows = (options.yAxis as CategoryAxis).data.map((category) => category.value);
    expect(rows).toEqual([
      'Westmoor Healthcare',
      'Hillcrest University Hospitals',
      'Northgate Hospitals',
      'Southbank Hospitals',
      'Eastfield Trust',
      'Lakeside Community Trust',
      'Riverside NHS Trust',
    ]);
    const points = scatterSeries(options).flatMap((series) => series.data as CaterpillarPointItem[]);
    expect(points).toHaveLength(7);
    // Each marker sits on its provider's row.
    for (const point of points) expect(rows[point.value[1]]).toBe(point.name);
  });

  it('draws each provider’s interval in its judgement’s colour, in the faded outline’s grey outside the network', () => {
    const data = caterpillarFixture();
    const intervals = seriesWithId(caterpillarChartOptions(data), 'intervals') as CustomSeriesOption;
    const items = intervals.data as { value: number[]; itemStyle: { color: string } }[];
    expect(items[0]).toEqual({ value: [7.7, 10.8, 0], itemStyle: { color: judgementStyles.better.colour } });
    expect(items[1]).toEqual({ value: [9.5, 11.2, 1], itemStyle: { color: fadedMarker.outline } });
    expect(items[6].itemStyle.color).toBe(judgementStyles.worse.colour);
    expect(intervals.encode).toEqual({ x: [0, 1], y: 2 });
  });

  it('marks the benchmark as a vertical line at the target', () => {
    const benchmark = seriesWithId(caterpillarChartOptions(caterpillarFixture()), 'benchmark');
    expect(benchmark.type === 'line' && benchmark.markLine?.data).toEqual([{ xAxis: 12 }]);
  });

  it('names network members in bold and puts their markers on top', () => {
    const options = caterpillarChartOptions(caterpillarFixture());
    const bold = (options.yAxis as CategoryAxis).data.filter((category) => category.textStyle.fontWeight === 'bold').map((category) => category.value);
    expect(bold.sort()).toEqual(['Northgate Hospitals', 'Riverside NHS Trust', 'Westmoor Healthcare']);
    const highlighted = scatterSeries(options).filter((series) => String(series.id).endsWith('-highlighted'));
    expect(highlighted.flatMap((series) => (series.data as CaterpillarPointItem[]).map((item) => item.providerId)).sort()).toEqual(['RA1', 'RA2', 'RA3']);
  });

  it('carries the tooltip on each marker and notes the suppressed provider under the chart', () => {
    const options = caterpillarChartOptions(caterpillarFixture());
    const riverside = scatterSeries(options)
      .flatMap((series) => series.data as CaterpillarPointItem[])
      .find((item) => item.providerId === 'RA2');
    expect(riverside?.tooltipLines).toEqual(['Readmitted (%): 15.9 %', '95 % interval: 14.5 to 17.4 %', 'Worse than expected']);
    const footnote = ((options.graphic as GraphicComponentOption[])[0] as { style: { text: string } }).style.text;
    expect(footnote).toContain('Source: Hospital Episode Statistics');
    expect(footnote).toContain('1 provider not shown: small numbers suppressed.');
    expect((options.aria as { label: { description: string } }).label.description).toContain('Caterpillar plot of 7 providers');
  });

  it('draws shrunken estimates and their intervals in place of the raw values, ordered by them, with each rank interval in the tooltip', () => {
    const data = caterpillarFixture();
    // Shrinkage pulls every value a third of the way to the benchmark of 12, with intervals of ±1.
    const shown = data.providers.filter((provider) => !provider.suppressed);
    data.providers = data.providers.map((provider) => {
      const value = provider.value + (12 - provider.value) / 3;
      return { ...provider, shrunken: { value, lower: value - 1, upper: value + 1 } };
    });
    const order = [...shown].sort((a, b) => a.value - b.value).reverse();
    data.providers = data.providers.map((provider) => {
      const position = order.findIndex((other) => other.id === provider.id) + 1;
      return { ...provider, rank: { estimate: position, lower: Math.max(1, position - 2), upper: Math.min(7, position + 2), of: 7 } };
    });
    const options = caterpillarChartOptions(data);
    const riverside = scatterSeries(options)
      .flatMap((series) => series.data as CaterpillarPointItem[])
      .find((item) => item.providerId === 'RA2');
    // 15.9 + (12 − 15.9) / 3 = 14.6; the top row of seven.
    expect(riverside?.value[0]).toBeCloseTo(14.6, 10);
    expect(riverside?.value[1]).toBe(6);
    expect(riverside?.tooltipLines).toEqual([
      'Shrunken estimate: 14.6 %',
      '95 % interval: 13.6 to 15.6 %',
      'Observed: 15.9 %',
      'Rank: 1–3 of 7 (95 % interval; 1 is the highest)',
      'Worse than expected',
    ]);
    const intervals = seriesWithId(options, 'intervals') as CustomSeriesOption;
    expect((intervals.data as { value: number[] }[])[6].value).toEqual([riverside!.value[0] - 1, riverside!.value[0] + 1, 6]);
    expect(intervals.name).toBe('95 % interval (shrunken estimate)');
    expect((options.aria as { label: { description: string } }).label.description).toContain('shrunken (empirical Bayes)');
  });

  it('writes a rank interval as "3–17 of 38", and a single rank alone', () => {
    expect(rankRange({ estimate: 8, lower: 3, upper: 17, of: 38 })).toBe('3–17 of 38');
    expect(rankRange({ estimate: 1, lower: 1, upper: 1, of: 38 })).toBe('1 of 38');
  });

  it('on a narrow screen writes the names inside the plot, above each bar, in place of the axis', () => {
    const axis = (rowNames: 'axis' | 'inside') => (caterpillarChartOptions(caterpillarFixture(), rowNames).yAxis as { axisLabel: { show: boolean } }).axisLabel.show;
    expect(axis('axis')).toBe(true);
    expect(axis('inside')).toBe(false);
    expect(rowHeights.inside).toBeGreaterThanOrEqual(2 * rowHeights.axis);
  });
});
