/**
 * A provider's place in each period's funnel as two panels over the same periods: its overdispersion-adjusted
 * z-score against fixed lines (0, ±2, ±3: Normal(0, 1) when in control), points coloured by the Making Data Count
 * rule they meet as the SPC chart colours them; and the CUSUMs of that z, the upper drawn above zero and the lower
 * below it, with the decision threshold ±h, and the periods where a side signalled marked.
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import type { SpecialCause } from '../stats';
import { annotationLine, annotationSeries, annotationSeriesName, drawnAnnotations, type ChartAnnotation } from './annotation-marks';
import { fontFamily, lineLegendEntry, markerLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { formatNumber } from './format';
import { markerOutline, nhsColours, specialCauseOrder, specialCauseStyles } from './palette';

export interface FunnelPositionChartPoint {
  period: string;
  /** Overdispersion-adjusted z; null when the period has none (suppressed, not reported, no funnel). */
  z: number | null;
  /** The special cause of the SPC rule the point meets, or null for common cause or no point. */
  specialCause: SpecialCause | null;
  cusumUpper: number | null;
  /** The lower CUSUM as a magnitude (≥ 0); drawn below zero. */
  cusumLower: number | null;
  /** The special cause of a CUSUM signal in this period, or null when neither side signalled. */
  signalCause: SpecialCause | null;
}

export interface FunnelPositionChartData {
  providerName: string;
  indicatorName: string;
  points: FunnelPositionChartPoint[];
  k: number;
  h: number;
  arl0: number;
  /** Dated notes drawn at their periods on the z-score panel, numbered as in the list beside the chart. */
  annotations?: ChartAnnotation[];
}

export const funnelPositionSeriesNames = {
  z: 'Adjusted z',
  centre: 'Expected (0)',
  limits: '±3 limits',
  twoSigma: '±2 band',
  upper: 'Upper CUSUM',
  lower: 'Lower CUSUM (drawn below 0)',
  threshold: 'Decision threshold ±h',
} as const;

type Line = (number | '-')[];

const gap = (value: number | null): number | '-' => (value === null ? '-' : value);

function levelLine(id: string, name: string, levels: number[], style: { color: string; width: number; type: 'solid' | 'dashed' | 'dotted' }): LineSeriesOption {
  return {
    type: 'line',
    id,
    name,
    data: [],
    symbol: 'none',
    silent: true,
    lineStyle: style,
    itemStyle: { color: style.color },
    markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: style, data: levels.map((yAxis) => ({ yAxis })) },
  };
}

function panel(data: FunnelPositionChartData, axisName: string, series: (LineSeriesOption | ScatterSeriesOption)[], values: number[], description: string, legend: ReturnType<typeof lineLegendEntry>[]): EChartsOption {
  return {
    aria: { enabled: true, label: { description } },
    textStyle: { fontFamily },
    grid: { left: 56, right: 16, top: 44, bottom: 28, containLabel: false },
    legend: { show: true, top: 0, data: legend, textStyle: { fontFamily, color: nhsColours.black } },
    tooltip: { trigger: 'axis', valueFormatter: (value) => (typeof value === 'number' ? formatNumber(value, 2) : '–') },
    xAxis: {
      type: 'category',
      data: data.points.map((point) => point.period),
      axisLabel: { fontFamily, color: nhsColours.darkGrey, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: valueAxis(axisName, 36, paddedExtent(values, 0.05)),
    series,
  };
}

/** The z-score panel and the CUSUM panel, each its own options so each fits a canvas of its own on any screen. */
export function funnelPositionOptions(data: FunnelPositionChartData): { z: EChartsOption; cusum: EChartsOption } {
  const scored = data.points.filter((point) => point.z !== null);
  const causeOf = (point: FunnelPositionChartPoint) => point.specialCause ?? 'common';
  const causesShown = specialCauseOrder.filter((cause) => scored.some((point) => causeOf(point) === cause));
  const zPoints = causesShown.map(
    (cause): ScatterSeriesOption => ({
      type: 'scatter',
      id: `z-${cause}`,
      name: specialCauseStyles[cause].label,
      z: cause === 'common' ? 4 : 5,
      symbol: specialCauseStyles[cause].symbol,
      symbolSize: cause === 'common' ? 7 : 10,
      itemStyle: { color: specialCauseStyles[cause].colour, borderColor: markerOutline.colour, borderWidth: markerOutline.width },
      data: data.points.flatMap((point, index) => (point.z !== null && causeOf(point) === cause ? [[index, point.z]] : [])),
    }),
  );
  const zLine: LineSeriesOption = {
    type: 'line',
    id: 'z',
    name: funnelPositionSeriesNames.z,
    data: data.points.map((point) => gap(point.z)) as Line,
    symbol: 'none',
    z: 3,
    lineStyle: { color: nhsColours.midGrey, width: 1.5 },
    itemStyle: { color: nhsColours.midGrey },
  };
  const notes = drawnAnnotations(data.annotations, data.points.map((point) => point.period));
  const zPanel = panel(
    data,
    'Adjusted z',
    [
      zLine,
      ...annotationSeries(notes),
      levelLine('centre', funnelPositionSeriesNames.centre, [0], { color: nhsColours.black, width: 1.5, type: 'solid' }),
      levelLine('limits', funnelPositionSeriesNames.limits, [-3, 3], { color: nhsColours.darkGrey, width: 1.2, type: 'dashed' }),
      levelLine('two-sigma', funnelPositionSeriesNames.twoSigma, [-2, 2], { color: nhsColours.lightGrey, width: 1, type: 'dotted' }),
      ...zPoints,
    ],
    [...scored.map((point) => point.z!), -3.5, 3.5],
    `${data.providerName}: adjusted z-score in each period's funnel of ${data.indicatorName}, ${scored.length} periods scored, against 0, ±2 and ±3.` +
      ` ${scored.filter((point) => point.specialCause !== null).length} periods meet a special-cause rule.` +
      notes.map((note) => ` Note ${annotationLine(note)}`).join(''),
    [
      ...[...causesShown].reverse().map((cause) => markerLegendEntry(specialCauseStyles[cause].label, specialCauseStyles[cause])),
      lineLegendEntry(funnelPositionSeriesNames.limits),
      ...(notes.length > 0 ? [lineLegendEntry(annotationSeriesName)] : []),
    ],
  );

  const signals = data.points.flatMap((point, index) => {
    if (point.signalCause === null) return [];
    const value = (point.cusumUpper ?? 0) > data.h ? point.cusumUpper! : 0 - point.cusumLower!;
    return [{ cause: point.signalCause, item: [index, value] }];
  });
  const signalCauses = specialCauseOrder.filter((cause) => signals.some((signal) => signal.cause === cause));
  const cusumValues = data.points.flatMap((point) => [point.cusumUpper, point.cusumLower === null ? null : 0 - point.cusumLower]).filter((value): value is number => value !== null);
  const cusumPanel = panel(
    data,
    'CUSUM',
    [
      cusumLine('upper', funnelPositionSeriesNames.upper, data.points.map((point) => gap(point.cusumUpper)), nhsColours.darkBlue),
      cusumLine('lower', funnelPositionSeriesNames.lower, data.points.map((point) => gap(point.cusumLower === null ? null : 0 - point.cusumLower)), nhsColours.darkGrey),
      levelLine('zero', 'Zero', [0], { color: nhsColours.black, width: 1, type: 'solid' }),
      levelLine('threshold', funnelPositionSeriesNames.threshold, [-data.h, data.h], { color: nhsColours.red, width: 1.5, type: 'dashed' }),
      ...signalCauses.map(
        (cause): ScatterSeriesOption => ({
          type: 'scatter',
          id: `signal-${cause}`,
          name: `Signal: ${specialCauseStyles[cause].label.replace('Special cause: ', '')}`,
          z: 5,
          symbol: specialCauseStyles[cause].symbol,
          symbolSize: 11,
          itemStyle: { color: specialCauseStyles[cause].colour, borderColor: markerOutline.colour, borderWidth: markerOutline.width },
          data: signals.filter((signal) => signal.cause === cause).map((signal) => signal.item),
        }),
      ),
    ],
    [...cusumValues, -data.h * 1.1, data.h * 1.1],
    `${data.providerName}: upper and lower CUSUMs of the adjusted z (k = ${data.k}, h = ${formatNumber(data.h, 2)} for one false alarm per ${data.arl0} periods per side), ${signals.length} ${signals.length === 1 ? 'signal' : 'signals'}.`,
    [
      lineLegendEntry(funnelPositionSeriesNames.upper),
      lineLegendEntry(funnelPositionSeriesNames.lower),
      lineLegendEntry(funnelPositionSeriesNames.threshold),
      ...signalCauses.map((cause) => markerLegendEntry(`Signal: ${specialCauseStyles[cause].label.replace('Special cause: ', '')}`, specialCauseStyles[cause])),
    ],
  );
  return { z: zPanel, cusum: cusumPanel };
}

function cusumLine(id: string, name: string, data: Line, color: string): LineSeriesOption {
  return { type: 'line', id, name, data, symbol: 'circle', symbolSize: 5, connectNulls: true, lineStyle: { color, width: 1.5 }, itemStyle: { color } };
}
