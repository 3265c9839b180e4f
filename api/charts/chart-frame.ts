/**
 * What every chart shares around its plot: title and subtitle top left, a key on the right, the
 * source and method lines bottom left (a board paper must say where a figure came from, NHS
 * England "Making Data Count" 2019, p. 21), an accessible description (ECharts `aria`), the
 * tooltip, and a grid sized to leave room for all of them. Fixed positions, not measured ones, so
 * the same options lay out alike on a 1280 × 720 slide, an A4 page and the dashboard.
 */
import type {
  LineSeriesOption,
  AriaComponentOption,
  GraphicComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
  TooltipComponentOption,
} from 'echarts';
import { formatTooltip } from './format';
import { judgementStyles, markerOutline, nhsColours } from './palette';
import type { ChartText } from './types';
import { extent } from 'simple-statistics';

/** Arial as NHS documents use it; Arimo, with Arial's metrics, is the font the PNG renderer bundles. */
export const fontFamily = 'Arial, Arimo, sans-serif';

const titleTop = 12;
const subtitleLineHeight = 18;
const footnoteLineHeight = 15;
const footnoteBottom = 10;
/** Room for the key on the right; its text wraps at `legendTextWidth`. */
const legendWidth = 240;
const legendTextWidth = 170;

export interface ChartFrameSettings {
  /** Read by screen readers in place of the chart (ECharts aria.label.description). */
  description: string;
  /** Lines added under the caller's footnote, e.g. how many providers were suppressed. */
  notes?: string[];
  /** Series names shown in the key, in order, with their own icon where given; no key when empty or left out. */
  legend?: LegendEntry[];
  /** Series in the key that start switched off, e.g. two-sigma lines. */
  legendHidden?: string[];
  /** false for a key that only explains colours and cannot switch series off. */
  legendSelectable?: boolean;
}

/** A key entry: a series name, or a name with its own icon style. */
export type LegendEntry = string | { name: string; icon?: string; itemStyle: { color?: string; opacity: number; borderWidth?: number; borderColor?: string } };

/** The key entry of a marker series: its own symbol and colour, never faded. */
export function markerLegendEntry(name: string, style: { symbol: string; colour: string }): LegendEntry {
  return { name, icon: style.symbol, itemStyle: { color: style.colour, opacity: 1, borderWidth: markerOutline.width, borderColor: markerOutline.colour } };
}

/** The key entry of a line series: the line alone, without ECharts' marker drawn on it. */
export function lineLegendEntry(name: string): LegendEntry {
  return { name, itemStyle: { opacity: 0 } };
}

/** A key entry for interval bars: an H-shaped bar with end caps. */
export function intervalLegendEntry(name: string, colour: string): LegendEntry {
  return { name, icon: 'path://M0,0H2V3H18V0H20V8H18V5H2V8H0Z', itemStyle: { color: colour, opacity: 1, borderWidth: 0 } };
}

export interface ChartFrame {
  backgroundColor: string;
  textStyle: { fontFamily: string; color: string };
  title: TitleComponentOption;
  legend: LegendComponentOption;
  tooltip: TooltipComponentOption;
  aria: AriaComponentOption;
  graphic: GraphicComponentOption[];
  grid: GridComponentOption;
}

/** The footnote lines in order: source first, then the method line(s), then the notes. */
export function footnoteLines(text: ChartText, notes: readonly string[] = []): string[] {
  const method = text.footnote.split('\n').filter((line) => line.trim() !== '');
  return [`Source: ${text.source}`, ...method, ...notes];
}

export function chartFrame(text: ChartText, settings: ChartFrameSettings): ChartFrame {
  const subtitleLines = text.subtitle === '' ? 0 : text.subtitle.split('\n').length;
  const footnote = footnoteLines(text, settings.notes);
  const gridTop = titleTop + 30 + subtitleLines * subtitleLineHeight + 16;
  const gridBottom = footnoteBottom + footnote.length * footnoteLineHeight + 12;
  const legend = settings.legend ?? [];
  return {
    backgroundColor: nhsColours.white,
    textStyle: { fontFamily, color: nhsColours.black },
    title: {
      text: text.title,
      subtext: text.subtitle,
      left: 16,
      top: titleTop,
      itemGap: 6,
      textStyle: { fontFamily, fontSize: 18, fontWeight: 'bold', color: nhsColours.black },
      subtextStyle: { fontFamily, fontSize: 13, color: nhsColours.darkGrey, lineHeight: subtitleLineHeight },
    },
    legend: {
      show: legend.length > 0,
      data: legend,
      selectedMode: settings.legendSelectable ?? true,
      selected: Object.fromEntries((settings.legendHidden ?? []).map((name) => [name, false])),
      orient: 'vertical',
      right: 12,
      top: gridTop,
      itemGap: 8,
      // Square enough that marker shapes keep theirs, long enough to show a dashed line.
      itemWidth: 18,
      itemHeight: 12,
      textStyle: { fontFamily, fontSize: 12, color: nhsColours.black, width: legendTextWidth, overflow: 'break' },
    },
    tooltip: { trigger: 'item', confine: true, formatter: formatTooltip },
    aria: { enabled: true, label: { enabled: true, description: settings.description }, decal: { show: false } },
    graphic: [
      {
        type: 'text',
        left: 16,
        bottom: footnoteBottom,
        silent: true,
        style: {
          text: footnote.join('\n'),
          fontFamily,
          fontSize: 11,
          lineHeight: footnoteLineHeight,
          fill: nhsColours.darkGrey,
        },
      },
    ],
    grid: {
      top: gridTop,
      bottom: gridBottom,
      left: 16,
      right: legend.length > 0 ? legendWidth + 24 : 24,
      // Axis labels and names are kept inside this rectangle (ECharts 6 replaces containLabel).
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
  };
}

/**
 * Axis bounds a little wider than the values, on round numbers, with the step between ticks, so
 * that limit curves which fan out at small precisions do not squash the providers into a strip
 * (FunnelPlotR limits its axes the same way) and the ticks land on the bounds.
 */
export function paddedExtent(values: readonly number[], padding = 0.1): { min: number; max: number; interval: number } {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return { min: 0, max: 1, interval: 0.2 };
  const [low, high] = extent(finite);
  const span = high - low || Math.abs(high) || 1;
  const interval = niceStep((span * (1 + 2 * padding)) / 5);
  const paddedLow = Math.floor((low - span * padding) / interval) * interval;
  // Counts, rates and proportions never go below zero, so neither does their axis.
  const min = low >= 0 && paddedLow < 0 ? 0 : paddedLow;
  const max = Math.ceil((high + span * padding) / interval) * interval;
  return { min: roundToStep(min, interval), max: roundToStep(max, interval), interval };
}

/** 1, 2, 2.5 or 5 times a power of ten, at least `rough`. */
function niceStep(rough: number): number {
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10) * power;
}

/** Removes floating-point dust (0.30000000000000004) from a bound. */
function roundToStep(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

/**
 * The benchmark as a legend-able line: an empty line series (for the key) carrying a vertical or horizontal
 * mark line at the benchmark value.
 */
export function benchmarkLineSeries(name: string, at: { xAxis: number } | { yAxis: number }, width = 1.5, z?: number): LineSeriesOption {
  return {
    type: 'line',
    id: 'benchmark',
    name,
    data: [],
    symbol: 'none',
    silent: true,
    ...(z === undefined ? {} : { z }),
    lineStyle: { color: nhsColours.black, width },
    itemStyle: { color: nhsColours.black },
    markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: nhsColours.black, width, type: 'solid' }, data: [at] },
  };
}

/** A named numeric axis in the house style; `extent` fixes its range, `nameGap` clears the tick labels. */
export function valueAxis(name: string, nameGap: number, extent: { min?: number; max?: number; interval?: number } = {}) {
  return {
    type: 'value' as const,
    name,
    nameLocation: 'middle' as const,
    nameGap,
    nameTextStyle: { fontFamily, fontSize: 13, color: nhsColours.black },
    ...extent,
    axisLabel: { fontFamily, color: nhsColours.darkGrey },
    splitLine: { lineStyle: { color: nhsColours.paleGrey } },
  };
}

/** A chart as the dashboard draws it: the options without the words the frame around it prints in HTML. */
export interface DashboardChart<O> {
  options: O;
  /** The source and method lines, for the frame to print under the chart. */
  footnote: string[];
}

/**
 * The builders' options for a chart inside the dashboard's frame, whose heading, summary and notes are
 * HTML: no title or footnote on the canvas, so the plot takes its room (the exports keep them, as a
 * slide or a page has no frame). With `keyInCanvas` false the key is left for the frame to print too,
 * which a phone needs: a key beside or under the plot would take half its canvas.
 */
export function forDashboard<O extends { grid?: unknown; graphic?: unknown; legend?: unknown }>(options: O, keyInCanvas: boolean): DashboardChart<O> {
  const graphic = (Array.isArray(options.graphic) ? options.graphic : []) as { style?: { text?: string } }[];
  const footnote = (graphic[0]?.style?.text ?? '').split('\n').filter((line) => line !== '');
  const grid = options.grid as GridComponentOption;
  const legend = options.legend as LegendComponentOption;
  return {
    options: {
      ...options,
      title: { show: false },
      graphic: [],
      legend: { ...legend, top: dashboardGridTop, show: keyInCanvas && legend.show !== false },
      grid: { ...grid, top: dashboardGridTop, bottom: 8, left: 8, ...(keyInCanvas ? {} : { right: 12 }) },
    },
    footnote,
  };
}

/** Room above the plot for the top tick label. */
const dashboardGridTop = 16;

/** A key entry as HTML draws it: a marker's glyph, a line's dash pattern, or an interval bar. */
export type KeyEntry =
  | { name: string; kind: 'marker'; glyph: string; colour: string }
  | { name: string; kind: 'line'; colour: string; width: number; dash: number[] }
  | { name: string; kind: 'interval'; colour: string };

/** ECharts' named dash patterns as SVG dash arrays. */
const namedDashes: Record<string, number[]> = { solid: [], dashed: [5, 5], dotted: [1, 3] };

/** The entries of the options' key with the look of the series each names, for a key printed outside the canvas. */
export function keyEntries(options: { legend?: unknown; series?: unknown }): KeyEntry[] {
  const legend = options.legend as LegendComponentOption;
  const series = (Array.isArray(options.series) ? options.series : []) as { name?: string; type?: string; lineStyle?: { color?: string; width?: number; type?: string | number[] }; itemStyle?: { color?: string } }[];
  return (legend.data ?? []).flatMap((entry): KeyEntry[] => {
    const name = typeof entry === 'object' ? String(entry.name) : String(entry);
    const named = series.find((candidate) => candidate.name === name);
    if (!named) return [];
    if (named.type === 'scatter') {
      const style = Object.values(judgementStyles).find((candidate) => candidate.label === name);
      return style ? [{ name, kind: 'marker', glyph: style.glyph, colour: style.colour }] : [];
    }
    if (named.type === 'custom') return [{ name, kind: 'interval', colour: named.itemStyle?.color ?? nhsColours.darkGrey }];
    const line = named.lineStyle ?? {};
    const dash = Array.isArray(line.type) ? line.type : (namedDashes[line.type ?? 'solid'] ?? []);
    return [{ name, kind: 'line', colour: line.color ?? nhsColours.black, width: line.width ?? 1.5, dash }];
  });
}
