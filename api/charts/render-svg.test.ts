import type { EChartsOption } from 'echarts';
import { describe, expect, it } from 'vitest';
import { caterpillarChartOptions } from './caterpillar-options';
import {
  caterpillarFixture,
  drawnItemCount,
  funnelFixture,
  seriesList,
  spcFixture,
  spineFixture,
  tartanFixture,
} from './chart-fixtures';
import { funnelChartOptions } from './funnel-options';
import { chartSizes, renderChartSvg } from './render-svg';
import { spcChartOptions } from './spc-options';
import { spineChartOptions } from './spine-options';
import { tartanChartOptions } from './tartan-options';

/** Items drawn for every series whose id starts with `prefix`, looked up by position as SSR marks them. */
function drawnItems(options: EChartsOption, svg: string, prefix: string): number {
  return seriesList(options).reduce((total, series, index) => total + (String(series.id).startsWith(prefix) ? drawnItemCount(svg, index) : 0), 0);
}

const charts = [
  { kind: 'funnel', options: () => funnelChartOptions(funnelFixture()), title: 'Emergency readmissions within 30 days' },
  { kind: 'SPC', options: () => spcChartOptions(spcFixture()), title: 'Patients seen within 4 hours in A&amp;E' },
  { kind: 'caterpillar', options: () => caterpillarChartOptions(caterpillarFixture()), title: 'Emergency readmissions within 30 days' },
  { kind: 'tartan', options: () => tartanChartOptions(tartanFixture()), title: 'Network overview' },
  { kind: 'spine', options: () => spineChartOptions(spineFixture()), title: 'Northgate Hospitals: profile' },
];

describe('renderChartSvg', () => {
  it.each(charts)('renders the $kind chart at slide size with its title, described for screen readers', ({ options, title }) => {
    const built = options();
    const svg = renderChartSvg(built, chartSizes.slide);
    expect(svg).toMatch(/^<svg width="1280" height="720" /);
    expect(svg).toContain(`>${title}</text>`);
    const description = (built.aria as { label: { description: string } }).label.description;
    expect(svg).toContain(`role="img" aria-label="${description.replaceAll('&', '&#38;')}"><title>`);
    // A NaN coordinate means a value slipped through unchecked; ECharts draws nothing there.
    expect(svg).not.toContain('NaN');
    // With animation on, the string would hold the first frame of an entrance animation.
    expect(svg).not.toContain('@keyframes');
  });

  it('renders at A4 landscape (96 dpi) too', () => {
    expect(chartSizes.a4).toEqual({ width: 1123, height: 794 });
    expect(renderChartSvg(funnelChartOptions(funnelFixture()), chartSizes.a4)).toMatch(/^<svg width="1123" height="794" /);
  });

  it('draws one marker per provider shown on the funnel, and each limit curve and the benchmark', () => {
    const options = funnelChartOptions(funnelFixture());
    const svg = renderChartSvg(options, chartSizes.slide);
    expect(drawnItems(options, svg, 'providers-')).toBe(7);
    expect(svg).toContain('>Source: Hospital Episode Statistics (fictional data)</text>');
    // The 95 % curves are dashed; the 99.8 % ones and the benchmark solid.
    expect(svg.match(/stroke-dasharray/g)?.length).toBeGreaterThanOrEqual(2);
  });

  it('draws every period of the SPC chart as a marker', () => {
    const options = spcChartOptions(spcFixture());
    expect(drawnItems(options, renderChartSvg(options, chartSizes.slide), 'points-')).toBe(12);
  });

  it('draws an interval and a marker for each provider on the caterpillar', () => {
    const options = caterpillarChartOptions(caterpillarFixture());
    const svg = renderChartSvg(options, chartSizes.slide);
    expect(drawnItems(options, svg, 'intervals')).toBe(7);
    expect(drawnItems(options, svg, 'providers-')).toBe(7);
  });

  it('draws every cell of the tartan rug with its text', () => {
    const options = tartanChartOptions(tartanFixture());
    const svg = renderChartSvg(options, chartSizes.slide);
    expect(drawnItems(options, svg, 'cells')).toBe(9);
    expect(svg).toContain('>▲ 15.9</text>');
    expect(svg).toContain('>*</text>');
  });

  it('draws a bar for every indicator of the spine chart and a marker for every value', () => {
    const options = spineChartOptions(spineFixture());
    const svg = renderChartSvg(options, chartSizes.slide);
    expect(drawnItems(options, svg, 'peer-range')).toBe(4);
    expect(drawnItems(options, svg, 'value-')).toBe(3);
    expect(svg).toContain('>Suppressed</text>');
  });
});
