import type { CustomSeriesOption, GraphicComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { type CaterpillarPointItem, caterpillarChartOptions } from './caterpillar-options';
import { caterpillarFixture, scatterSeries, seriesWithId } from './chart-fixtures';
import { fadedOpacity, judgementStyles } from './palette';

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

  it('draws each provider’s interval in its judgement’s colour, faded outside the network', () => {
    const data = caterpillarFixture();
    const intervals = seriesWithId(caterpillarChartOptions(data), 'intervals') as CustomSeriesOption;
    const items = intervals.data as { value: number[]; itemStyle: { color: string } }[];
    expect(items[0]).toEqual({ value: [7.7, 10.8, 0, 1], itemStyle: { color: judgementStyles.better.colour } });
    expect(items[1]).toEqual({ value: [9.5, 11.2, 1, fadedOpacity], itemStyle: { color: judgementStyles.better.colour } });
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
});
