import type { GraphicComponentOption, LegendComponentOption, TitleComponentOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { lineSeries, scatterSeries, seriesWithId, spcFixture } from './chart-fixtures';
import { specialCauseStyles } from './palette';
import { spcChartOptions, spcDashboardOptions, spcSeriesNames, type SpcPointItem } from './spc-options';

const footnoteOf = (options: ReturnType<typeof spcChartOptions>) => ((options.graphic as GraphicComponentOption[])[0] as { style: { text: string } }).style.text;

describe('spcChartOptions', () => {
  it('draws every period once, as a point in the series of its special cause', () => {
    const data = spcFixture();
    const options = spcChartOptions(data);
    const points = scatterSeries(options);
    expect(points.flatMap((series) => series.data as SpcPointItem[])).toHaveLength(data.points.length);
    const periodsOf = (id: string) => (seriesWithId(options, id).data as SpcPointItem[]).map((item) => item.name);
    expect(periodsOf('points-improvement')).toEqual(['Sep 2023']);
    expect(periodsOf('points-concern')).toEqual(['Feb 2024']);
    expect(periodsOf('points-neutral')).toEqual(['Mar 2024']);
    expect(periodsOf('points-common')).toHaveLength(9);
  });

  it('colours improvement blue and concern orange, common cause grey, each with its own shape (Making Data Count)', () => {
    const options = spcChartOptions(spcFixture());
    for (const cause of ['improvement', 'concern', 'neutral', 'common'] as const) {
      const series = seriesWithId(options, `points-${cause}`);
      expect(series.type === 'scatter' && [series.itemStyle?.color, series.symbol]).toEqual([specialCauseStyles[cause].colour, specialCauseStyles[cause].symbol]);
    }
    expect(specialCauseStyles.improvement.colour).toBe('#005EB8');
    expect(specialCauseStyles.concern.colour).toBe('#ED8B00');
  });

  it('draws each rebase segment its own mean and limits, with gaps elsewhere so segments are not joined', () => {
    const options = spcChartOptions(spcFixture());
    const means = lineSeries(options).filter((series) => String(series.id).startsWith('mean-'));
    expect(means.map((series) => series.id)).toEqual(['mean-0', 'mean-1']);
    expect(means[0].data).toEqual([75.8, 75.8, 75.8, 75.8, 75.8, 75.8, '-', '-', '-', '-', '-', '-']);
    expect(means[1].data).toEqual(['-', '-', '-', '-', '-', '-', 62.8, 62.8, 62.8, 62.8, 62.8, 62.8]);
    expect(seriesWithId(options, 'upper-limit-1').data).toEqual(['-', '-', '-', '-', '-', '-', 74.8, 74.8, 74.8, 74.8, 74.8, 74.8]);
    // Same names, so the key shows one "Mean" and one "Process limits" for all segments.
    expect(new Set(lineSeries(options).filter((series) => /^(upper|lower)-limit-/.test(String(series.id))).map((series) => series.name))).toEqual(
      new Set([spcSeriesNames.limits]),
    );
    expect(footnoteOf(options)).toContain('Mean and limits recalculated from Oct 2023.');
  });

  it('leaves a limit that cannot be estimated as a gap', () => {
    const data = spcFixture();
    data.points[0] = { ...data.points[0], lowerLimit: null, upperLimit: null };
    const upper = lineSeries(spcChartOptions(data)).find((series) => series.id === 'upper-limit-0');
    expect(upper?.data?.slice(0, 2)).toEqual(['-', 87.8]);
  });

  it('adds two-sigma lines switched off in the key, and none when the points have none', () => {
    const options = spcChartOptions(spcFixture());
    expect(lineSeries(options).filter((series) => series.name === spcSeriesNames.twoSigma)).toHaveLength(4);
    expect((options.legend as LegendComponentOption).selected).toEqual({ [spcSeriesNames.twoSigma]: false });
    const data = spcFixture();
    data.points = data.points.map(({ lowerTwoSigma: _lower, upperTwoSigma: _upper, ...point }) => point);
    expect(lineSeries(spcChartOptions(data)).filter((series) => series.name === spcSeriesNames.twoSigma)).toHaveLength(0);
  });

  it('draws the target as a line across the chart, and none without one', () => {
    const target = seriesWithId(spcChartOptions(spcFixture()), 'target');
    expect(target.type === 'line' && target.markLine?.data).toEqual([{ yAxis: 76 }]);
    expect(target.name).toBe('Target: 76.0 %');
    const data = spcFixture();
    data.target = null;
    data.assurance = null;
    expect(lineSeries(spcChartOptions(data)).some((series) => series.id === 'target')).toBe(false);
  });

  it('writes the variation and assurance icons out in the subtitle', () => {
    const title = spcChartOptions(spcFixture()).title as TitleComponentOption;
    expect(title.subtext).toBe('Northgate Hospitals, monthly\nSpecial cause concerning variation (low) · Consistently failing the target');
    const data = spcFixture();
    data.variation = 'common_cause';
    data.assurance = 'inconsistent';
    expect((spcChartOptions(data).title as TitleComponentOption).subtext).toContain('Common cause variation · Hit and miss target');
    data.assurance = null;
    expect((spcChartOptions(data).title as TitleComponentOption).subtext).toBe('Northgate Hospitals, monthly\nCommon cause variation');
  });

  it('carries each point’s tooltip as plain text and describes the chart for screen readers', () => {
    const options = spcChartOptions(spcFixture());
    const february = (seriesWithId(options, 'points-concern').data as SpcPointItem[])[0];
    expect(february).toMatchObject({
      value: [10, 55],
      tooltipTitle: 'Feb 2024',
      tooltipLines: ['Seen within 4 hours (%): 55.0 %', 'Mean: 62.8', 'Process limits: 50.8 to 74.8', 'Special cause: concern'],
    });
    const aria = options.aria as { enabled: boolean; label: { description: string } };
    expect(aria.enabled).toBe(true);
    expect(aria.label.description).toContain('12 periods from Apr 2023 to Mar 2024');
    expect(aria.label.description).toContain('3 points show special cause variation');
    expect(footnoteOf(options)).toMatch(/^Source: A&E attendances/);
  });

  it('draws the target in force in each period as a step line, named once it changes, and none in a period without one', () => {
    const data = spcFixture();
    data.points = data.points.map((point, index) => ({ ...point, target: index < 4 ? null : index < 8 ? 95 : 78 }));
    const target = seriesWithId(spcChartOptions(data), 'target');
    expect(target.type === 'line' && target.step).toBe('middle');
    expect(target.data).toEqual(['-', '-', '-', '-', 95, 95, 95, 95, 78, 78, 78, 78]);
    expect(target.name).toBe('Target in force');
    // 95 lies above every limit of the fixture (≤ 87.8): the axis reaches it.
    expect((spcChartOptions(data).yAxis as { max: number }).max).toBeGreaterThanOrEqual(95);
    data.points = data.points.map((point) => ({ ...point, target: 80 }));
    expect(seriesWithId(spcChartOptions(data), 'target').name).toBe('Target: 80.0 %');
  });

  it('draws the peers’ pooled value as a step line, broken where a period has none, and words the assurance against peers', () => {
    const data = { ...spcFixture(), assurance: 'consistent_fail' as const, assuranceAgainst: 'peers' as const };
    data.points = data.points.map((point, index) => ({ ...point, peers: index === 2 ? null : 90 + index }));
    const options = spcChartOptions(data);
    const peers = seriesWithId(options, 'peers');
    expect(peers.type === 'line' && [peers.name, peers.step]).toEqual(['Peer benchmark', 'middle']);
    expect(peers.data).toEqual(data.points.map((_, index) => (index === 2 ? '-' : 90 + index)));
    expect((options.yAxis as { max: number }).max).toBeGreaterThanOrEqual(101);
    expect((options.title as TitleComponentOption).subtext).toContain('Consistently worse than its peers');
    expect(lineSeries(spcChartOptions(spcFixture())).some((series) => series.id === 'peers')).toBe(false);
  });
});

describe('spcDashboardOptions', () => {
  it('leaves the title, footnote and key to the frame, names the axis by its unit, and gives the plot the canvas', () => {
    const data = spcFixture();
    const { options, footnote, key } = spcDashboardOptions(data);
    expect((options.title as TitleComponentOption).show).toBe(false);
    expect(options.graphic).toEqual([]);
    expect((options.legend as LegendComponentOption).show).toBe(false);
    expect(options.yAxis).toMatchObject({ name: '%', nameLocation: 'end' });
    expect(options.grid).toMatchObject({ top: 28, bottom: 8 });
    expect(footnote).toEqual(footnoteOf(spcChartOptions(data)).split('\n'));
    expect(footnote[0]).toBe(`Source: ${data.source}`);
    // Every series the exported chart's key names, but the two-sigma lines that start switched off.
    expect(key.map((entry) => entry.name).sort()).toEqual([
      specialCauseStyles.neutral.label,
      specialCauseStyles.concern.label,
      specialCauseStyles.improvement.label,
      specialCauseStyles.common.label,
      data.yAxisLabel,
      spcSeriesNames.mean,
      spcSeriesNames.limits,
      'Target: 76.0 %',
    ].sort());
    expect(key.find((entry) => entry.name === spcSeriesNames.limits)).toMatchObject({ kind: 'line', dashed: true });
    expect(key.find((entry) => entry.name === specialCauseStyles.concern.label)).toMatchObject({ kind: 'marker', glyph: specialCauseStyles.concern.glyph, colour: specialCauseStyles.concern.colour });
  });
});
