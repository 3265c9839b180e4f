import { init, type EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { measureChartLabels } from '../../test/support/label-layout';
import { forDashboard } from './chart-frame';
import { funnelFixture } from './chart-fixtures';
import { funnelChartOptions } from './funnel-options';
import { placePointLabels } from './label-placement-chart';
import { chartSizes, renderChartSvg } from './render-svg';
import type { FunnelChartData } from './types';

/** The chart as renderChartSvg lays it out, kept open to read its elements. */
function laidOut(options: EChartsOption, size: { width: number; height: number }) {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  chart.setOption({ ...options, animation: false }, { notMerge: true });
  const counts = placePointLabels(chart);
  return { chart, counts };
}

/** The fixture with 40 more providers spread over the funnel, a quarter of them beyond its limits, and a target. */
function crowdedFunnel(): FunnelChartData {
  const data = funnelFixture();
  let seed = 11;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let index = 0; index < 40; index++) {
    const precision = 100 + random() * 5000;
    const sd = Math.sqrt((12 * 88) / precision);
    const z = (random() - 0.5) * 9;
    const band = Math.abs(z) > 3.09 ? (z > 0 ? 'above-99.8' : 'below-99.8') : Math.abs(z) > 1.96 ? (z > 0 ? 'above-95' : 'below-95') : 'within';
    const judgement = band === 'above-99.8' ? 'worse' : band === 'below-99.8' ? 'better' : 'as-expected';
    data.providers.push({ id: `RX${index}`, name: `Crowded Provider Trust ${index}`, precision, value: 12 + z * sd, z, band, judgement });
  }
  data.providers = data.providers.map(({ highlighted: _, ...provider }) => provider);
  data.targetLines = [{ label: 'Local ambition', value: 11 }];
  return data;
}

describe('placed funnel names on the server-side renderer (exports and packs)', () => {
  const cases = [
    ['fixture, slide', () => funnelChartOptions(funnelFixture()), chartSizes.slide],
    ['fixture, A4', () => funnelChartOptions(funnelFixture()), chartSizes.a4],
    ['crowded, slide', () => funnelChartOptions(crowdedFunnel()), chartSizes.slide],
    // As a phone's dashboard draws it: no title, footnote or key on the canvas.
    ['crowded, phone dashboard', () => forDashboard(funnelChartOptions(crowdedFunnel(), { narrow: true }), false).options, { width: 343, height: 480 }],
    ['crowded, desktop dashboard', () => forDashboard(funnelChartOptions(crowdedFunnel()), false).options, { width: 1100, height: 540 }],
  ] as const;

  it.each(cases)('%s: no name over another, a line, a marker or the key, all inside the plot', (_, options, size) => {
    const { chart, counts } = laidOut(options(), size);
    try {
      const report = measureChartLabels(chart);
      expect(report.lineCount).toBeGreaterThan(3);
      expect(report.labels.length).toBe(counts.placed);
      expect(report.labelOverlaps).toEqual([]);
      expect(report.lineCrossings).toEqual([]);
      expect(report.markerOverlaps).toEqual([]);
      expect(report.keyOverlaps).toEqual([]);
      expect(report.outsidePlot).toEqual([]);
      expect(report.worseSignals.filter((signal) => !signal.labelled)).toEqual([]);
    } finally {
      chart.dispose();
    }
  });

  it('names every signal of the fixture, worse and better, and its network member within the limits', () => {
    const { chart } = laidOut(funnelChartOptions(funnelFixture()), chartSizes.slide);
    try {
      expect(measureChartLabels(chart).labels.map((label) => label.name).sort()).toEqual(['Northgate Hospitals', 'Riverside NHS Trust', 'Westmoor Healthcare']);
    } finally {
      chart.dispose();
    }
  });

  it('writes the placed names into the exported SVG, where the unplaced chart would hide overlapping ones', () => {
    const svg = renderChartSvg(funnelChartOptions(crowdedFunnel()), chartSizes.slide);
    const { chart } = laidOut(funnelChartOptions(crowdedFunnel()), chartSizes.slide);
    try {
      const names = measureChartLabels(chart).labels.map((label) => label.name);
      expect(names.length).toBeGreaterThan(5);
      for (const name of names) expect(svg).toContain(`>${name}</text>`);
    } finally {
      chart.dispose();
    }
  });
});
