/**
 * Statistical process control chart options in the style of NHS England's "Making Data Count"
 * (2019, revised 2023): the values over time, the mean and process limits of each segment (a
 * rebase starts new lines rather than joining the old), optional two-sigma lines (off until asked
 * for), the target in force in each period as a step line, points coloured and shaped by special
 * cause, and the variation and assurance icons written out in the subtitle.
 */
import type { EChartsOption, GridComponentOption, LineSeriesOption, ScatterSeriesOption, YAXisComponentOption } from 'echarts';
import type { AssuranceCategory, VariationCategory } from '../stats';
import { annotationLine, annotationSeries, annotationSeriesName, drawnAnnotations } from './annotation-marks';
import { chartFrame, fontFamily, lineLegendEntry, markerLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { formatNumber, formatValue } from './format';
import { markerOutline, nhsColours, specialCauseOrder, specialCauseStyles } from './palette';
import type { SpcChartData, SpcChartPoint, TooltipFields } from './types';

export const variationLabels: Record<VariationCategory, string> = {
  common_cause: 'Common cause variation',
  special_cause_improvement_high: 'Special cause improving variation (high)',
  special_cause_improvement_low: 'Special cause improving variation (low)',
  special_cause_concern_high: 'Special cause concerning variation (high)',
  special_cause_concern_low: 'Special cause concerning variation (low)',
  special_cause_neutral_high: 'Special cause variation, neither improving nor concerning (high)',
  special_cause_neutral_low: 'Special cause variation, neither improving nor concerning (low)',
};

export const assuranceLabels: Record<AssuranceCategory, string> = {
  consistent_pass: 'Consistently passing the target',
  consistent_fail: 'Consistently failing the target',
  inconsistent: 'Hit and miss target',
};

/** The assurance icon's words when it judges the limits against a peer group's pooled value rather than a target. */
export const peerAssuranceLabels: Record<AssuranceCategory, string> = {
  consistent_pass: 'Consistently better than its peers',
  consistent_fail: 'Consistently worse than its peers',
  inconsistent: 'Hit and miss against its peers',
};

export const assuranceLabelOf = (assurance: AssuranceCategory, against: SpcChartData['assuranceAgainst']) => (against === 'peers' ? peerAssuranceLabels : assuranceLabels)[assurance];

export const spcSeriesNames = { mean: 'Mean', limits: 'Process limits', twoSigma: 'Two-sigma limits' } as const;

export interface SpcPointItem extends TooltipFields {
  name: string;
  value: [number, number];
}

type Line = (number | '-')[];

export function spcChartOptions(data: SpcChartData): EChartsOption {
  const decimalPlaces = data.decimalPlaces ?? 1;
  const segments = [...new Set(data.points.map((point) => point.segment))];
  const hasTwoSigma = data.points.some((point) => isNumber(point.lowerTwoSigma) || isNumber(point.upperTwoSigma));
  // Each period's target in force where the points carry one, else the chart's single target across it.
  const periodTargets = data.points.map((point) => (isNumber(point.target) ? point.target : null));
  const steps = periodTargets.some(isNumber);
  const targetValues = steps ? periodTargets.filter(isNumber) : isNumber(data.target) ? [data.target] : [];
  const hasTarget = targetValues.length > 0;
  const changes = new Set(targetValues).size > 1;
  const targetName = !hasTarget ? '' : changes ? 'Target in force' : `Target: ${formatValue(targetValues[0], data.unit, decimalPlaces)}`;

  const lineSeries: LineSeriesOption[] = [
    {
      type: 'line',
      id: 'values',
      name: data.yAxisLabel,
      data: data.points.map((point) => point.value),
      symbol: 'none',
      z: 3,
      lineStyle: { color: nhsColours.midGrey, width: 1.5 },
      itemStyle: { color: nhsColours.midGrey },
    },
  ];
  for (const segment of segments) {
    const inSegment = (pick: (point: SpcChartPoint) => number | null | undefined): Line =>
      data.points.map((point) => {
        const value = point.segment === segment ? pick(point) : null;
        return isNumber(value) ? value : '-';
      });
    lineSeries.push(
      limitLine(`mean-${segment}`, spcSeriesNames.mean, inSegment((point) => point.centre), { color: nhsColours.black, width: 1.5, type: 'solid' }),
      limitLine(`upper-limit-${segment}`, spcSeriesNames.limits, inSegment((point) => point.upperLimit), { color: nhsColours.darkGrey, width: 1.2, type: 'dashed' }),
      limitLine(`lower-limit-${segment}`, spcSeriesNames.limits, inSegment((point) => point.lowerLimit), { color: nhsColours.darkGrey, width: 1.2, type: 'dashed' }),
    );
    if (hasTwoSigma) {
      lineSeries.push(
        limitLine(`upper-two-sigma-${segment}`, spcSeriesNames.twoSigma, inSegment((point) => point.upperTwoSigma), { color: nhsColours.lightGrey, width: 1, type: 'dotted' }),
        limitLine(`lower-two-sigma-${segment}`, spcSeriesNames.twoSigma, inSegment((point) => point.lowerTwoSigma), { color: nhsColours.lightGrey, width: 1, type: 'dotted' }),
      );
    }
  }
  const targetStyle = { color: nhsColours.red, width: 1.5, type: 'dashed' } as const;
  if (steps) {
    // A step at each change: the new target applies from the period it comes into force.
    lineSeries.push({ type: 'line', id: 'target', name: targetName, data: periodTargets.map((target) => target ?? '-'), step: 'middle', symbol: 'none', silent: true, z: 2, lineStyle: targetStyle, itemStyle: { color: nhsColours.red } });
  } else if (hasTarget) {
    lineSeries.push({
      type: 'line',
      id: 'target',
      name: targetName,
      data: [],
      symbol: 'none',
      lineStyle: targetStyle,
      itemStyle: { color: nhsColours.red },
      markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: targetStyle, data: [{ yAxis: targetValues[0] }] },
    });
  }

  // The peers' pooled value in each period, where the chart is judged against peers: a step line like the target's.
  const peerValues = data.points.map((point) => (isNumber(point.peers) ? point.peers : null));
  const hasPeers = peerValues.some(isNumber);
  const peerName = 'Peer benchmark';
  if (hasPeers) {
    const peerStyle = { color: nhsColours.blue, width: 1.5, type: 'dashed' } as const;
    lineSeries.push({ type: 'line', id: 'peers', name: peerName, data: peerValues.map((value) => value ?? '-'), step: 'middle', symbol: 'none', silent: true, z: 2, lineStyle: peerStyle, itemStyle: { color: nhsColours.blue } });
  }

  const notes = drawnAnnotations(data.annotations, data.points.map((point) => point.period));
  lineSeries.push(...annotationSeries(notes));

  const causeOf = (point: SpcChartPoint) => point.specialCause ?? 'common';
  const causesShown = specialCauseOrder.filter((cause) => data.points.some((point) => causeOf(point) === cause));
  const pointSeries = causesShown.map((cause): ScatterSeriesOption => {
    const style = specialCauseStyles[cause];
    return {
      type: 'scatter',
      id: `points-${cause}`,
      name: style.label,
      z: cause === 'common' ? 4 : 5,
      symbol: style.symbol,
      symbolSize: cause === 'common' ? 7 : 10,
      itemStyle: { color: style.colour, opacity: 1, borderColor: markerOutline.colour, borderWidth: markerOutline.width },
      data: data.points.flatMap((point, index) => (causeOf(point) === cause ? [spcPointItem(point, index, data, decimalPlaces)] : [])),
    };
  });

  const limitValues = data.points.flatMap((point) => [point.value, point.centre, point.lowerLimit, point.upperLimit].filter(isNumber));
  const extent = paddedExtent([...limitValues, ...targetValues, ...peerValues.filter(isNumber)], 0.05);
  const subtitleParts = [variationLabels[data.variation], data.assurance ? assuranceLabelOf(data.assurance, data.assuranceAgainst) : null].filter((part) => part !== null);
  const frame = chartFrame(
    { ...data, subtitle: [data.subtitle, subtitleParts.join(' · ')].filter((line) => line !== '').join('\n') },
    {
      description: [describeSpc(data, segments.length, decimalPlaces), ...notes.map((note) => `Note ${annotationLine(note)}`)].join(' '),
      notes: [...rebaseNotes(data.points), ...notes.map(annotationLine)],
      legend: [
        ...[...causesShown].reverse().map((cause) => markerLegendEntry(specialCauseStyles[cause].label, specialCauseStyles[cause])),
        lineLegendEntry(data.yAxisLabel),
        lineLegendEntry(spcSeriesNames.mean),
        lineLegendEntry(spcSeriesNames.limits),
        ...(hasTwoSigma ? [lineLegendEntry(spcSeriesNames.twoSigma)] : []),
        ...(hasTarget ? [lineLegendEntry(targetName)] : []),
        ...(hasPeers ? [lineLegendEntry(peerName)] : []),
        ...(notes.length > 0 ? [lineLegendEntry(annotationSeriesName)] : []),
      ],
      legendHidden: [spcSeriesNames.twoSigma],
    },
  );

  return {
    ...frame,
    xAxis: {
      type: 'category',
      data: data.points.map((point) => point.period),
      axisLabel: { fontFamily, color: nhsColours.darkGrey, hideOverlap: true },
      axisTick: { alignWithLabel: true },
    },
    yAxis: valueAxis(data.yAxisLabel, 48, extent),
    series: [...lineSeries, ...pointSeries],
  };
}

/** A key entry printed beside the canvas: a marker's glyph and colour, or a line's colour and dash. */
export type SpcKeyEntry = { name: string; kind: 'marker'; glyph: string; colour: string } | { name: string; kind: 'line'; colour: string; dashed: boolean };

export interface SpcDashboardChart {
  options: EChartsOption;
  /** The source and method lines, printed under the canvas. */
  footnote: string[];
  key: SpcKeyEntry[];
}

/** Room above the plot for the unit written over the axis. */
const dashboardGridTop = 28;

/**
 * The SPC chart inside the dashboard's frame, whose heading names it: no title, subtitle, footnote or key on the
 * canvas (the frame prints them in HTML, under the chart), and the value axis named by its unit alone, written
 * level above the axis, so the plot takes the canvas (Making Data Count's charts are mostly plot). The exports
 * keep `spcChartOptions` whole, as a slide has no frame.
 */
export function spcDashboardOptions(data: SpcChartData): SpcDashboardChart {
  const full = spcChartOptions(data);
  const footnoteText = ((full.graphic as { style?: { text?: string } }[] | undefined)?.[0]?.style?.text ?? '').split('\n').filter((line) => line !== '');
  const yAxis = full.yAxis as YAXisComponentOption;
  const series = (full.series ?? []) as (LineSeriesOption | ScatterSeriesOption)[];
  const key = (((full.legend as { data?: (string | { name: string })[] }).data ?? []) as (string | { name: string })[]).flatMap((entry): SpcKeyEntry[] => {
    const name = typeof entry === 'string' ? entry : entry.name;
    const named = series.find((candidate) => candidate.name === name);
    if (!named || name === spcSeriesNames.twoSigma) return [];
    if (named.type === 'scatter') {
      const style = Object.values(specialCauseStyles).find((candidate) => candidate.label === name)!;
      return [{ name, kind: 'marker', glyph: style.glyph, colour: style.colour }];
    }
    const line = (named as LineSeriesOption).lineStyle ?? {};
    return [{ name, kind: 'line', colour: String(line.color ?? nhsColours.black), dashed: line.type === 'dashed' || line.type === 'dotted' }];
  });
  return {
    options: {
      ...full,
      title: { show: false },
      graphic: [],
      legend: { ...(full.legend as object), show: false },
      grid: { ...(full.grid as GridComponentOption), top: dashboardGridTop, bottom: 8, left: 8, right: 16 },
      yAxis: { ...yAxis, name: data.unit, nameLocation: 'end', nameGap: 10, nameTextStyle: { ...(yAxis.nameTextStyle ?? {}), align: 'left', fontSize: 12 } } as YAXisComponentOption,
    },
    footnote: footnoteText,
    key,
  };
}

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function limitLine(id: string, name: string, data: Line, lineStyle: LineSeriesOption['lineStyle']): LineSeriesOption {
  return { type: 'line', id, name, data, symbol: 'none', silent: true, z: 2, lineStyle, itemStyle: { color: lineStyle?.color } };
}

export function spcPointItem(point: SpcChartPoint, index: number, data: SpcChartData, decimalPlaces: number): SpcPointItem {
  const lines = [`${data.yAxisLabel}: ${formatValue(point.value, data.unit, decimalPlaces)}`, `${spcSeriesNames.mean}: ${formatNumber(point.centre, decimalPlaces)}`];
  if (isNumber(point.lowerLimit) && isNumber(point.upperLimit)) {
    lines.push(`${spcSeriesNames.limits}: ${formatNumber(point.lowerLimit, decimalPlaces)} to ${formatNumber(point.upperLimit, decimalPlaces)}`);
  }
  lines.push(specialCauseStyles[point.specialCause ?? 'common'].label);
  return { name: point.period, value: [index, point.value], tooltipTitle: point.period, tooltipLines: lines };
}

function rebaseNotes(points: SpcChartPoint[]): string[] {
  const starts = points.filter((point, index) => index > 0 && point.segment !== points[index - 1].segment).map((point) => point.period);
  return starts.length === 0 ? [] : [`Mean and limits recalculated from ${starts.join(', ')}.`];
}

function describeSpc(data: SpcChartData, segmentCount: number, decimalPlaces: number): string {
  const first = data.points[0];
  const last = data.points[data.points.length - 1];
  const signals = data.points.filter((point) => point.specialCause !== null).length;
  return [
    `${data.title}, ${data.subtitle}.`,
    first && last
      ? `Statistical process control chart of ${data.points.length} periods from ${first.period} to ${last.period}; latest value ${formatValue(last.value, data.unit, decimalPlaces)}.`
      : 'Statistical process control chart with no periods.',
    `${variationLabels[data.variation]}.`,
    data.assurance ? `${assuranceLabels[data.assurance]}.` : '',
    `${signals} ${signals === 1 ? 'point shows' : 'points show'} special cause variation.`,
    segmentCount > 1 ? `Limits rebased ${segmentCount - 1} ${segmentCount === 2 ? 'time' : 'times'}.` : '',
  ]
    .filter((sentence) => sentence !== '')
    .join(' ');
}
