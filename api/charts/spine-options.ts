/**
 * Spine chart options for one provider's profile, after Public Health England's Fingertips
 * "spine chart": a row per indicator with the range of all providers as a bar (pale from minimum
 * to maximum, darker between the 25th and 75th centiles), the benchmark as the centre line, and
 * the provider's value as a marker shaped and coloured by its judgement. Each row is scaled so the
 * benchmark sits in the middle and the farthest of the range or the value reaches the end, and
 * lower-is-better rows are mirrored, so better is always to the right.
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption, ScatterSeriesOption } from 'echarts';
import type { Judgement } from '../stats';
import { benchmarkLineSeries, chartFrame, fontFamily, lineLegendEntry, markerLegendEntry, type LegendEntry } from './chart-frame';
import { formatNumber, formatValue } from './format';
import { judgementOrder, judgementStyles, markerOutline, missingStyles, nhsColours } from './palette';
import type { SpineChartData, SpineIndicator, TooltipFields } from './types';

export interface SpineMarkerItem extends TooltipFields {
  indicatorId: string;
  name: string;
  /** [position on the row's scale from 0 to 1, row] */
  value: [number, number];
}

export const spineColours = { range: nhsColours.grey4, middleHalf: nhsColours.lightGrey } as const;
export const spineSeriesNames = { range: 'Range of providers', middleHalf: '25th to 75th centile' } as const;

/** Position of `value` on a row's 0–1 scale: the benchmark at 0.5, better to the right. */
export function spinePosition(indicator: Pick<SpineIndicator, 'benchmark' | 'peers' | 'value' | 'polarity'>, value: number): number {
  const { benchmark, peers } = indicator;
  const reach = Math.max(
    Math.abs(peers.minimum - benchmark),
    Math.abs(peers.maximum - benchmark),
    indicator.value === null ? 0 : Math.abs(indicator.value - benchmark),
  );
  const direction = indicator.polarity === 'lower-is-better' ? -1 : 1;
  return reach === 0 ? 0.5 : 0.5 + (direction * (value - benchmark)) / (2 * reach);
}

/** Draws one row's bar: the full range pale, the middle half darker. */
const renderPeerRange: CustomSeriesRenderItem = (_params, api) => {
  const row = Number(api.value(4));
  const height = Math.min(22, Number((api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 22) * 0.6);
  const bar = (from: number, to: number, colour: string) => {
    const [x1, y] = api.coord([Math.min(from, to), row]);
    const [x2] = api.coord([Math.max(from, to), row]);
    return { type: 'rect' as const, shape: { x: x1, y: y - height / 2, width: x2 - x1, height }, style: { fill: colour } };
  };
  return {
    type: 'group',
    children: [
      bar(Number(api.value(0)), Number(api.value(3)), spineColours.range),
      bar(Number(api.value(1)), Number(api.value(2)), spineColours.middleHalf),
    ],
  };
};

export function spineChartOptions(data: SpineChartData): EChartsOption {
  const rows = data.indicators;
  const hasValue = (indicator: SpineIndicator): indicator is SpineIndicator & { value: number } =>
    !indicator.suppressed && indicator.value !== null && Number.isFinite(indicator.value);

  const rangeSeries: CustomSeriesOption = {
    type: 'custom',
    id: 'peer-range',
    name: spineSeriesNames.range,
    renderItem: renderPeerRange,
    encode: { x: [0, 1, 2, 3], y: 4 },
    z: 2,
    itemStyle: { color: spineColours.range },
    data: rows.map((indicator, row) => {
      const { minimum, lowerQuartile, upperQuartile, maximum } = indicator.peers;
      const decimalPlaces = indicator.decimalPlaces ?? 1;
      return {
        value: [minimum, lowerQuartile, upperQuartile, maximum].map((peer) => spinePosition(indicator, peer)).concat(row),
        tooltipTitle: indicator.name,
        tooltipLines: [
          `Providers: ${formatNumber(minimum, decimalPlaces)} to ${formatValue(maximum, indicator.unit, decimalPlaces)}`,
          `25th to 75th centile: ${formatNumber(lowerQuartile, decimalPlaces)} to ${formatValue(upperQuartile, indicator.unit, decimalPlaces)}`,
          `${data.benchmarkName}: ${formatValue(indicator.benchmark, indicator.unit, decimalPlaces)}`,
        ],
      };
    }),
  };

  const benchmarkName = `Benchmark: ${data.benchmarkName}`;
  const benchmarkSeries = benchmarkLineSeries(benchmarkName, { xAxis: 0.5 }, 2, 3);

  const judgementOf = (indicator: SpineIndicator): Judgement | 'no-judgement' => indicator.judgement ?? 'no-judgement';
  const markerKinds = [...judgementOrder, 'no-judgement' as const].filter((kind) => rows.some((indicator) => hasValue(indicator) && judgementOf(indicator) === kind));
  const markerSeries = markerKinds.map((kind): ScatterSeriesOption => {
    const style = markerStyle(kind);
    return {
      type: 'scatter',
      id: `value-${kind}`,
      name: style.label,
      z: 5,
      symbol: style.symbol,
      symbolSize: 13,
      itemStyle: { color: style.colour, opacity: 1, borderColor: markerOutline.colour, borderWidth: 1 },
      data: rows.flatMap((indicator, row) => (hasValue(indicator) && judgementOf(indicator) === kind ? [spineMarkerItem(indicator, row, data)] : [])),
    };
  });

  const legend: LegendEntry[] = [
    ...[...markerKinds].reverse().map((kind) => markerLegendEntry(markerStyle(kind).label, markerStyle(kind))),
    lineLegendEntry(benchmarkName),
    { name: spineSeriesNames.range, icon: 'rect', itemStyle: { color: spineColours.range, opacity: 1 } },
    { name: spineSeriesNames.middleHalf, icon: 'rect', itemStyle: { color: spineColours.middleHalf, opacity: 1 } },
  ];
  // An empty series gives the darker middle half its own key entry.
  const middleHalfKey: ScatterSeriesOption = { type: 'scatter', id: 'key-middle-half', name: spineSeriesNames.middleHalf, data: [], silent: true };
  const shownCount = rows.filter(hasValue).length;
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      `Spine chart of ${data.providerName} on ${rows.length} indicators against ${data.benchmarkName}, better to the right.`,
      ...rows.map((indicator) => `${indicator.name}: ${valueText(indicator)}${hasValue(indicator) ? `, ${markerStyle(judgementOf(indicator)).label.toLowerCase()}` : ''}.`),
    ].join(' '),
    notes: [
      `Each row is centred on ${data.benchmarkName}; better is to the right where an indicator has a polarity, higher otherwise.${shownCount < rows.length ? ' Rows without a marker have no value or are suppressed.' : ''}`,
    ],
    legend,
    legendSelectable: false,
  });

  const categoryAxis = {
    type: 'category' as const,
    inverse: true,
    axisTick: { show: false },
    axisLine: { show: false },
    splitLine: { show: false },
  };
  return {
    ...frame,
    xAxis: { type: 'value', min: 0, max: 1, show: false },
    yAxis: [
      { ...categoryAxis, data: rows.map((indicator) => indicator.name), axisLabel: { fontFamily, fontSize: 12, color: nhsColours.black, interval: 0, width: 260, overflow: 'break' } },
      // The values printed at the right, so a printed page carries the numbers as well as the marks.
      { ...categoryAxis, position: 'right', data: rows.map(valueText), axisLabel: { fontFamily, fontSize: 12, color: nhsColours.black, interval: 0 } },
    ],
    series: [rangeSeries, middleHalfKey, benchmarkSeries, ...markerSeries],
  };
}

function markerStyle(kind: Judgement | 'no-judgement'): { colour: string; symbol: string; label: string } {
  if (kind === 'no-judgement') return { colour: nhsColours.white, symbol: 'circle', label: missingStyles.noJudgement.label };
  return judgementStyles[kind];
}

/** "15.1 %", "Suppressed" or "No data", for the right-hand labels. */
function valueText(indicator: SpineIndicator): string {
  if (indicator.suppressed) return 'Suppressed';
  if (indicator.value === null || !Number.isFinite(indicator.value)) return missingStyles.noData.label;
  return formatValue(indicator.value, indicator.unit, indicator.decimalPlaces ?? 1);
}

export function spineMarkerItem(indicator: SpineIndicator & { value: number }, row: number, data: SpineChartData): SpineMarkerItem {
  const decimalPlaces = indicator.decimalPlaces ?? 1;
  return {
    indicatorId: indicator.id,
    name: indicator.name,
    value: [spinePosition(indicator, indicator.value), row],
    tooltipTitle: `${data.providerName}: ${indicator.name}`,
    tooltipLines: [
      `Value: ${formatValue(indicator.value, indicator.unit, decimalPlaces)}`,
      `${data.benchmarkName}: ${formatValue(indicator.benchmark, indicator.unit, decimalPlaces)}`,
      markerStyle(indicator.judgement ?? 'no-judgement').label,
    ],
  };
}
