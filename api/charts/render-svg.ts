/**
 * Headless SVG rendering of chart options with ECharts' server-side renderer (ECharts 5.3+ `ssr`):
 * the same options the dashboard draws, so an exported chart cannot drift from the one on screen.
 * Animation is switched off, or the string would hold the first frame of the entrance animation.
 * The accessible description becomes the SVG's role, aria-label and <title>, which the DOM-less
 * renderer does not write itself.
 */
import { init, type EChartsOption } from 'echarts';
import { escapeHtml } from './format';
import { placePointLabels } from './label-placement-chart';

export interface ChartSize {
  width: number;
  height: number;
}

/** A 16:9 slide, and A4 landscape at 96 dpi (297 × 210 mm). */
export const chartSizes = {
  slide: { width: 1280, height: 720 },
  a4: { width: 1123, height: 794 },
} as const satisfies Record<string, ChartSize>;

export function renderChartSvg(options: EChartsOption, size: ChartSize): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ ...options, animation: false }, { notMerge: true });
    // Names go where they clear each other and the lines, as on the dashboard.
    placePointLabels(chart);
    return labelSvg(chart.renderToSVGString(), accessibleName(options));
  } finally {
    chart.dispose();
  }
}

function accessibleName(options: EChartsOption): string | undefined {
  const aria = Array.isArray(options.aria) ? options.aria[0] : options.aria;
  return aria?.label?.description;
}

function labelSvg(svg: string, name: string | undefined): string {
  if (!name) return svg;
  const escaped = escapeHtml(name);
  return svg.replace(/^<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${escaped}"><title>${escaped}</title>`);
}
