import * as echarts from 'echarts';
import type { ECharts, EChartsOption } from 'echarts';
import type { Action } from 'svelte/action';
import { placePointLabels } from '../../../../api/charts/label-placement-chart';

/** The identifiers the option builders put on their data items. */
export interface ChartItem {
  providerId?: string;
  indicatorId?: string;
}

export interface ChartParameters {
  options: EChartsOption;
  /** Called with the clicked mark's data item (a provider's point, a tartan cell, a spine marker). */
  onSelect?: (item: ChartItem) => void;
}

/** Below this width the key moves out of the chart (the table and the marks' own colours carry it) to leave room for the plot. */
const narrowWidth = 640;

/** The chart's text alternative: the description api/charts writes into the options for screen readers. */
export function chartDescription(options: EChartsOption): string {
  return (options.aria as { label?: { description?: string } } | undefined)?.label?.description ?? '';
}

/** Past this many marks a chart is drawn at once: ECharts would animate the limit lines in long after the points. */
const animatedUpTo = 2000;

function markCount(options: EChartsOption): number {
  const series = Array.isArray(options.series) ? options.series : options.series ? [options.series] : [];
  return series.reduce((total, entry) => total + (Array.isArray(entry.data) ? entry.data.length : 0), 0);
}

/** The builders' options as this screen and reader should see them: no animation for large charts or a reduced-motion preference, no key on a narrow screen. */
function forScreen(options: EChartsOption, width: number): EChartsOption {
  const reducedMotion = typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
  const animated = { ...options, animation: options.animation !== false && !reducedMotion && markCount(options) <= animatedUpTo };
  if (width >= narrowWidth) return animated;
  const grid = Array.isArray(options.grid) ? options.grid[0] : options.grid;
  return { ...animated, legend: { ...(options.legend as object), show: false }, grid: { ...grid, right: 16 } };
}

/**
 * Draws ECharts options (from api/charts, the same builders as the server's exports) into the element, and
 * keeps the chart sized to it. The instance is left on the element as `echarts` for the end-to-end tests;
 * `data-chart-state` becomes "rendered" once ECharts has finished drawing.
 */
export const chart: Action<HTMLElement, ChartParameters> = (node, parameters) => {
  const instance: ECharts = echarts.init(node, undefined, { renderer: 'canvas' });
  Object.defineProperty(node, 'echarts', { value: instance, configurable: true });
  let current = parameters;
  const draw = () => {
    node.dataset.chartState = 'drawing';
    instance.setOption(forScreen(current.options, node.clientWidth), { notMerge: true });
    // Names are placed from this layout (the funnel's), clear of each other and the lines, as in the exports.
    placePointLabels(instance);
  };
  instance.on('finished', () => {
    node.dataset.chartState = 'rendered';
  });
  instance.on('click', (event) => {
    if (event.data && typeof event.data === 'object') current.onSelect?.(event.data as ChartItem);
  });
  let lastWidth = node.clientWidth;
  const observer = new ResizeObserver(() => {
    const crossedBreakpoint = lastWidth < narrowWidth !== node.clientWidth < narrowWidth;
    lastWidth = node.clientWidth;
    if (crossedBreakpoint) draw();
    instance.resize();
    placePointLabels(instance);
  });
  observer.observe(node);
  draw();
  return {
    update(next) {
      current = next;
      draw();
    },
    destroy() {
      observer.disconnect();
      instance.dispose();
    },
  };
};
