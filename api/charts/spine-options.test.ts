import type { CustomSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { scatterSeries, seriesWithId, spineFixture } from './chart-fixtures';
import { judgementStyles } from './palette';
import { spineChartOptions, spinePosition, type SpineMarkerItem } from './spine-options';

describe('spinePosition', () => {
  const indicator = { benchmark: 10, peers: { minimum: 6, lowerQuartile: 9, upperQuartile: 11, maximum: 12 }, value: 8, polarity: 'higher-is-better' as const };

  it('puts the benchmark in the middle and the farthest of range and value at an end', () => {
    expect(spinePosition(indicator, 10)).toBe(0.5);
    expect(spinePosition(indicator, 6)).toBe(0);
    expect(spinePosition(indicator, 12)).toBe(0.75);
  });

  it('mirrors lower-is-better indicators so that better is to the right', () => {
    const lowerIsBetter = { ...indicator, polarity: 'lower-is-better' as const };
    expect(spinePosition(lowerIsBetter, 6)).toBe(1);
    expect(spinePosition(lowerIsBetter, 12)).toBe(0.25);
  });

  it('reaches as far as a value beyond the range, and centres a row with no spread', () => {
    expect(spinePosition({ ...indicator, value: 18 }, 18)).toBe(1);
    expect(spinePosition({ ...indicator, value: 10, peers: { minimum: 10, lowerQuartile: 10, upperQuartile: 10, maximum: 10 } }, 10)).toBe(0.5);
  });
});

describe('spineChartOptions', () => {
  it('draws a range bar for every indicator and a marker for every value that is not suppressed', () => {
    const data = spineFixture();
    const options = spineChartOptions(data);
    const range = seriesWithId(options, 'peer-range') as CustomSeriesOption;
    expect(range.data).toHaveLength(data.indicators.length);
    const markers = scatterSeries(options).flatMap((series) => (series.data ?? []) as SpineMarkerItem[]);
    expect(markers.map((marker) => marker.indicatorId).sort()).toEqual(['four-hours', 'length-of-stay', 'readmissions']);
  });

  it('places the range bar and the marker on each row’s own scale, readmissions mirrored', () => {
    const options = spineChartOptions(spineFixture());
    const range = (seriesWithId(options, 'peer-range') as CustomSeriesOption).data as { value: number[] }[];
    // Readmissions: benchmark 12, reach 4.2 (to the maximum 16.2), lower is better.
    const expected = [8.5, 10.9, 13.1, 16.2].map((peer) => 0.5 - (peer - 12) / 8.4);
    range[0].value.slice(0, 4).forEach((position, index) => expect(position).toBeCloseTo(expected[index], 12));
    expect(range[0].value[4]).toBe(0);
    const worse = seriesWithId(options, 'value-worse').data as SpineMarkerItem[];
    expect(worse[0].value[0]).toBeCloseTo(0.5 - 3.1 / 8.4, 12);
  });

  it('colours and shapes markers by judgement and marks the benchmark at the centre', () => {
    const options = spineChartOptions(spineFixture());
    const better = seriesWithId(options, 'value-better');
    expect(better.type === 'scatter' && [better.itemStyle?.color, better.symbol]).toEqual([judgementStyles.better.colour, judgementStyles.better.symbol]);
    const benchmark = seriesWithId(options, 'benchmark');
    expect(benchmark.type === 'line' && benchmark.markLine?.data).toEqual([{ xAxis: 0.5 }]);
  });

  it('prints the values down the right so a printed page carries the numbers', () => {
    const axes = spineChartOptions(spineFixture()).yAxis as { data: string[] }[];
    expect(axes[0].data).toEqual(['Emergency readmissions within 30 days', 'A&E four-hour standard', 'Average length of stay', 'Summary hospital-level mortality (SHMI)']);
    expect(axes[1].data).toEqual(['15.1 %', '81.0 %', '4.4 days', 'Suppressed']);
  });

  it('describes every row for screen readers', () => {
    const aria = spineChartOptions(spineFixture()).aria as { enabled: boolean; label: { description: string } };
    expect(aria.enabled).toBe(true);
    expect(aria.label.description).toContain('Emergency readmissions within 30 days: 15.1 %, worse than expected.');
    expect(aria.label.description).toContain('Summary hospital-level mortality (SHMI): Suppressed.');
  });
});
