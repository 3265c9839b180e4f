/**
 * Statistical process control chart options in the style of NHS England's "Making Data Count"
 * (2019, revised 2023): the values over time, the mean and process limits of each segment (a
 * rebase starts new lines rather than joining the old), optional two-sigma lines (off until asked
 * for), the target, points coloured and shaped by special cause, and the variation and assurance
 * icons written out in the subtitle.
 */
import type { EChartsOption, LineSeriesOption, ScatterSeriesOption } from 'echarts';
import type { AssuranceCategory, VariationCategory } from '../stats';
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
  const hasTarget = isNumber(data.target);
  const targetName = hasTarget ? `Target: ${formatValue(data.target as number, data.unit, decimalPlaces)}` : '';

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
  if (hasTarget) {
    lineSeries.push({
      type: 'line',
      id: 'target',
      name: targetName,
      data: [],
      symbol: 'none',
      lineStyle: { color: nhsColours.red, width: 1.5, type: 'dashed' },
      itemStyle: { color: nhsColours.red },
      markLine: { silent: true, symbol: 'none', label: { show: false }, lineStyle: { color: nhsColours.red, width: 1.5, type: 'dashed' }, data: [{ yAxis: data.target as number }] },
    });
  }

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
  const extent = paddedExtent(hasTarget ? [...limitValues, data.target as number] : limitValues, 0.05);
  const subtitleParts = [variationLabels[data.variation], data.assurance ? assuranceLabels[data.assurance] : null].filter((part) => part !== null);
  const frame = chartFrame(
    { ...data, subtitle: [data.subtitle, subtitleParts.join(' · ')].filter((line) => line !== '').join('\n') },
    {
      description: describeSpc(data, segments.length, decimalPlaces),
      notes: rebaseNotes(data.points),
      legend: [
        ...[...causesShown].reverse().map((cause) => markerLegendEntry(specialCauseStyles[cause].label, specialCauseStyles[cause])),
        lineLegendEntry(data.yAxisLabel),
        lineLegendEntry(spcSeriesNames.mean),
        lineLegendEntry(spcSeriesNames.limits),
        ...(hasTwoSigma ? [lineLegendEntry(spcSeriesNames.twoSigma)] : []),
        ...(hasTarget ? [lineLegendEntry(targetName)] : []),
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
