/**
 * Caterpillar plot options: providers ranked by value, one row each, with their own interval as a
 * bar and the benchmark as a vertical line; markers coloured and shaped by judgement as on the
 * funnel. Ranking invites league-table readings, so the funnel's judgement, not the rank, colours
 * each provider (Spiegelhalter 2005, Stat Med 24:1185, "Funnel plots for comparing institutional
 * performance", on why ranks mislead).
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { benchmarkLineSeries, chartFrame, fontFamily, intervalLegendEntry, lineLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { coveragePercent, formatInterval, formatValue } from './format';
import { judgementStyles, nhsColours } from './palette';
import { emphasisFor, emphasisStyles, highlightedSummary, judgementCounts, judgementLegend, providerPointSeries, providersShown } from './provider-points';
import type { CaterpillarChartData, CaterpillarProvider, TooltipFields } from './types';

export interface CaterpillarPointItem extends TooltipFields {
  providerId: string;
  name: string;
  /** [value, row] */
  value: [number, number];
}

/** Row labels are all printed up to this many providers; beyond it ECharts thins them. */
const labelEveryRowUpTo = 60;

/** Draws one interval: a horizontal bar with end caps, in the row's colour and opacity. */
const renderInterval: CustomSeriesRenderItem = (_params, api) => {
  const row = Number(api.value(2));
  const [lowX, y] = api.coord([api.value(0), row]);
  const [highX] = api.coord([api.value(1), row]);
  const rowHeight = Number((api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 12);
  const cap = Math.min(5, rowHeight * 0.3);
  const style = { stroke: String(api.visual('color')), lineWidth: 1.5, opacity: Number(api.value(3)) };
  return {
    type: 'group',
    children: [
      { type: 'line', shape: { x1: lowX, y1: y, x2: highX, y2: y }, style },
      { type: 'line', shape: { x1: lowX, y1: y - cap, x2: lowX, y2: y + cap }, style },
      { type: 'line', shape: { x1: highX, y1: y - cap, x2: highX, y2: y + cap }, style },
    ],
  };
};

export function caterpillarChartOptions(data: CaterpillarChartData): EChartsOption {
  const decimalPlaces = data.decimalPlaces ?? 1;
  const coverage = data.intervalCoverage ?? 0.95;
  const { shown: unsorted, notes } = providersShown(data.providers, (provider) => [provider.value, provider.lower, provider.upper].every(Number.isFinite));
  // Lowest first: category rows run upwards, so the highest value is the top row.
  const shown = [...unsorted].sort((a, b) => a.value - b.value);
  const rowOf = new Map(shown.map((provider, row) => [provider, row]));
  const emphasisOf = emphasisFor(shown);

  const intervalName = `${coveragePercent(coverage)} % interval`;
  const intervalSeries: CustomSeriesOption = {
    type: 'custom',
    id: 'intervals',
    name: intervalName,
    renderItem: renderInterval,
    encode: { x: [0, 1], y: 2 },
    silent: true,
    z: 2,
    itemStyle: { color: nhsColours.darkGrey },
    data: shown.map((provider, row) => ({
      value: [provider.lower, provider.upper, row, emphasisStyles[emphasisOf(provider)].opacity],
      itemStyle: { color: judgementStyles[provider.judgement].colour },
    })),
  };

  const benchmarkName = `Benchmark: ${formatValue(data.target, data.unit, decimalPlaces)}`;
  const benchmarkSeries = benchmarkLineSeries(benchmarkName, { xAxis: data.target });

  const pointSeries = providerPointSeries(shown, {
    item: (provider): CaterpillarPointItem => caterpillarPointItem(provider, rowOf.get(provider) ?? 0, data, decimalPlaces, coverage),
    labelHighlighted: false,
  });
  const extent = paddedExtent([...shown.flatMap((provider) => [provider.lower, provider.upper]), data.target], 0.05);
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      `Caterpillar plot of ${shown.length} providers ranked by ${data.valueAxisLabel}, with ${intervalName}s and a benchmark of ${formatValue(data.target, data.unit, decimalPlaces)}.`,
      shown.length > 0 ? `${judgementCounts(shown)}.` : '',
      highlightedSummary(shown),
    ]
      .filter((sentence) => sentence !== '')
      .join(' '),
    notes,
    legend: [...judgementLegend(shown), intervalLegendEntry(intervalName, nhsColours.darkGrey), lineLegendEntry(benchmarkName)],
  });

  return {
    ...frame,
    xAxis: valueAxis(data.valueAxisLabel, 28, extent),
    yAxis: {
      type: 'category',
      // Network members' names in bold, the others in grey, as their markers are emphasised and faded.
      data: shown.map((provider) => ({
        value: provider.name,
        textStyle: emphasisOf(provider) === 'faded' ? { color: nhsColours.midGrey } : { color: nhsColours.black, fontWeight: emphasisOf(provider) === 'highlighted' ? 'bold' : 'normal' },
      })),
      axisLabel: { fontFamily, fontSize: 11, interval: shown.length <= labelEveryRowUpTo ? 0 : 'auto' },
      axisTick: { show: false },
      splitLine: { show: false },
    },
    series: [intervalSeries, benchmarkSeries, ...pointSeries],
  };
}

export function caterpillarPointItem(provider: CaterpillarProvider, row: number, data: CaterpillarChartData, decimalPlaces: number, coverage: number): CaterpillarPointItem {
  return {
    providerId: provider.id,
    name: provider.name,
    value: [provider.value, row],
    tooltipTitle: provider.name,
    tooltipLines: [
      `${data.valueAxisLabel}: ${formatValue(provider.value, data.unit, decimalPlaces)}`,
      formatInterval(provider.lower, provider.upper, data.unit, decimalPlaces, coverage),
      judgementStyles[provider.judgement].label,
    ],
  };
}
