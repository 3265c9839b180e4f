import type { LineSeriesOption, ScatterSeriesOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { funnelPositionOptions, type FunnelPositionChartData } from './funnel-position-options';
import { specialCauseStyles } from './palette';
import { renderChartSvg } from './render-svg';

// Six quarters: a suppressed one (no z, the CUSUMs carried over), a concern beyond −3 and a lower signal.
const data: FunnelPositionChartData = {
  providerName: 'Practice A',
  indicatorName: 'HbA1c control',
  k: 0.5,
  h: 2.85,
  arl0: 100,
  points: [
    { period: 'Q1', z: -0.4, specialCause: null, cusumUpper: 0, cusumLower: 0, signalCause: null },
    { period: 'Q2', z: null, specialCause: null, cusumUpper: null, cusumLower: null, signalCause: null },
    { period: 'Q3', z: -1.6, specialCause: null, cusumUpper: 0, cusumLower: 1.1, signalCause: null },
    { period: 'Q4', z: -2.4, specialCause: 'concern', cusumUpper: 0, cusumLower: 3.0, signalCause: 'concern' },
    { period: 'Q5', z: -3.2, specialCause: 'concern', cusumUpper: 0, cusumLower: 2.7, signalCause: null },
    { period: 'Q6', z: 0.3, specialCause: null, cusumUpper: 0, cusumLower: 1.9, signalCause: null },
  ],
};

const series = (options: { series?: unknown }) => options.series as (LineSeriesOption | ScatterSeriesOption)[];
const byId = (options: { series?: unknown }, id: string) => series(options).find((one) => one.id === id)!;
const markLevels = (one: LineSeriesOption | ScatterSeriesOption) => (one.markLine?.data as { yAxis: number }[]).map((line) => line.yAxis);

describe('funnelPositionOptions', () => {
  it('draws the z panel against 0, ±2 and ±3, with a gap where a period has no z', () => {
    const { z } = funnelPositionOptions(data);
    expect(markLevels(byId(z, 'centre'))).toEqual([0]);
    expect(markLevels(byId(z, 'limits'))).toEqual([-3, 3]);
    expect(markLevels(byId(z, 'two-sigma'))).toEqual([-2, 2]);
    expect(byId(z, 'z').data).toEqual([-0.4, '-', -1.6, -2.4, -3.2, 0.3]);
  });

  it('colours each scored period by its special cause as the SPC chart does, and draws no point for the suppressed one', () => {
    const { z } = funnelPositionOptions(data);
    const concern = byId(z, 'z-concern') as ScatterSeriesOption;
    expect(concern.data).toEqual([
      [3, -2.4],
      [4, -3.2],
    ]);
    expect([concern.itemStyle?.color, concern.symbol]).toEqual([specialCauseStyles.concern.colour, specialCauseStyles.concern.symbol]);
    expect((byId(z, 'z-common') as ScatterSeriesOption).data).toHaveLength(3);
  });

  it('draws the upper CUSUM above 0 and the lower below it, the threshold at ±h, and marks the signal where the lower side crossed', () => {
    const { cusum } = funnelPositionOptions(data);
    expect(byId(cusum, 'upper').data).toEqual([0, '-', 0, 0, 0, 0]);
    expect(byId(cusum, 'lower').data).toEqual([0, '-', -1.1, -3, -2.7, -1.9]);
    expect(markLevels(byId(cusum, 'threshold'))).toEqual([-2.85, 2.85]);
    expect((byId(cusum, 'signal-concern') as ScatterSeriesOption).data).toEqual([[3, -3]]);
    const yAxis = cusum.yAxis as { min: number; max: number };
    expect(yAxis.min).toBeLessThanOrEqual(-2.85);
    expect(yAxis.max).toBeGreaterThanOrEqual(2.85);
  });

  it('renders both panels headless with a description naming the provider and the settings', () => {
    const { z, cusum } = funnelPositionOptions(data);
    expect(renderChartSvg(z, { width: 640, height: 300 })).toContain('<svg');
    const svg = renderChartSvg(cusum, { width: 640, height: 300 });
    expect(svg).toContain('<svg');
    expect((cusum.aria as { label: { description: string } }).label.description).toMatch(/Practice A.*k = 0\.5, h = 2\.85.*100 periods per side\), 1 signal\./);
  });
});
