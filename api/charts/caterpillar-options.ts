/**
 * Caterpillar plot options: providers ranked by value, one row each, with their own interval as a
 * bar and the benchmark as a vertical line; markers coloured and shaped by judgement as on the
 * funnel. Ranking invites league-table readings, so the funnel's judgement, not the rank, colours
 * each provider (Spiegelhalter 2005, Stat Med 24:1185, "Funnel plots for comparing institutional
 * performance", on why ranks mislead). When the API gives empirical-Bayes shrunken estimates, those
 * and their intervals are drawn instead of the raw values, and each row prints its rank interval
 * ("rank 3–17 of 38"), so how little the order itself says is on the chart (Goldstein &
 * Spiegelhalter 1996, JRSS A 159:385, "League tables and their limitations").
 */
import type { CustomSeriesOption, CustomSeriesRenderItem, EChartsOption } from 'echarts';
import { benchmarkLineSeries, chartFrame, fontFamily, intervalLegendEntry, lineLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { coveragePercent, formatInterval, formatValue } from './format';
import { fadedMarker, judgementStyles, nhsColours } from './palette';
import { type Emphasis, emphasisFor, highlightedSummary, judgementCounts, judgementLegend, providerPointSeries, providersShown } from './provider-points';
import type { CaterpillarChartData, CaterpillarProvider, TooltipFields } from './types';

export interface CaterpillarPointItem extends TooltipFields {
  providerId: string;
  name: string;
  /** [value, row] */
  value: [number, number];
}

/** Row labels are all printed up to this many providers; beyond it ECharts thins them. */
const labelEveryRowUpTo = 60;
/** Long trust names are cut short (the tooltip and the table have them whole) so the plot keeps its width. */
const rowLabelWidth = 180;

/** The gap between an interval's cap and its rank text. */
const rankGap = 6;

/** The x-axis name's width on a phone: the plot of a 375 px screen, less its margins. */
const narrowAxisNameWidth = 220;

/** Room kept for "rank 12–38 of 38" at 10 px, right of a name written inside the plot. */
const rankTextWidth = 84;

/** Where the providers' names go: on the value axis's left, or (narrow screens) inside the plot above each bar. */
export type RowNames = 'axis' | 'inside';

/** Pixels per row: a name above its bar needs two lines' room. */
export const rowHeights: Record<RowNames, number> = { axis: 14, inside: 30 };

interface RowText {
  name: string;
  /** "rank 3–17 of 38", or "" without ranks. */
  rank: string;
  emphasis: Emphasis;
}

const rowTextColour = (emphasis: Emphasis) => (emphasis === 'faded' ? nhsColours.darkGrey : nhsColours.black);

/**
 * Draws one interval: a horizontal bar with end caps in the row's colour and, when the row has one, its rank
 * interval as text beside the bar, on whichever side has more room in the plot; with names inside the plot,
 * the name and rank are written above the bar from the plot's left edge.
 */
const intervalRenderer =
  (rows: readonly RowText[], rowNames: RowNames): CustomSeriesRenderItem =>
  (params, api) => {
    const row = Number(api.value(2));
    const [lowX, y] = api.coord([api.value(0), row]);
    const [highX] = api.coord([api.value(1), row]);
    const rowHeight = Number((api.size?.([0, 1]) as number[] | undefined)?.[1] ?? 12);
    const cap = Math.min(5, rowHeight * 0.3);
    const style = { stroke: String(api.visual('color')), lineWidth: 1.5 };
    const text = rows[params.dataIndex] ?? { name: '', rank: '', emphasis: 'normal' };
    const plot = params.coordSys as unknown as { x: number; width: number };
    const roomLeft = lowX - plot.x;
    const roomRight = plot.x + plot.width - highX;
    const textStyle = { fontFamily, fontSize: 10, fill: nhsColours.darkGrey };
    const rankWidth = text.rank === '' ? 0 : rankTextWidth;
    const words =
      rowNames === 'inside'
        ? [
            {
              type: 'text' as const,
              style: {
                ...textStyle,
                text: text.name,
                x: plot.x + 2,
                y: y - cap - 1,
                align: 'left' as const,
                verticalAlign: 'bottom' as const,
                fontSize: 11,
                fontWeight: text.emphasis === 'highlighted' ? ('bold' as const) : ('normal' as const),
                fill: rowTextColour(text.emphasis),
                width: plot.width - rankWidth - 8,
                overflow: 'truncate' as const,
              },
            },
            ...(text.rank === ''
              ? []
              : [{ type: 'text' as const, style: { ...textStyle, text: text.rank, x: plot.x + plot.width - 2, y: y - cap - 1, align: 'right' as const, verticalAlign: 'bottom' as const } }]),
          ]
        : text.rank === ''
          ? []
          : [
              {
                type: 'text' as const,
                style: {
                  ...textStyle,
                  text: text.rank,
                  x: roomRight >= roomLeft ? highX + rankGap : lowX - rankGap,
                  y,
                  align: roomRight >= roomLeft ? ('left' as const) : ('right' as const),
                  verticalAlign: 'middle' as const,
                },
              },
            ];
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: lowX, y1: y, x2: highX, y2: y }, style },
        { type: 'line', shape: { x1: lowX, y1: y - cap, x2: lowX, y2: y + cap }, style },
        { type: 'line', shape: { x1: highX, y1: y - cap, x2: highX, y2: y + cap }, style },
        ...words,
      ],
    };
  };

/** "3–17 of 38": the 95 % interval of a provider's rank, 1 the highest value. */
export function rankRange(rank: NonNullable<CaterpillarProvider['rank']>): string {
  return rank.lower === rank.upper ? `${rank.lower} of ${rank.of}` : `${rank.lower}–${rank.upper} of ${rank.of}`;
}

/** The estimate a row draws: the shrunken one when the API gave it. */
const drawn = (provider: CaterpillarProvider) => provider.shrunken ?? provider;

export function caterpillarChartOptions(data: CaterpillarChartData, rowNames: RowNames = 'axis'): EChartsOption {
  const decimalPlaces = data.decimalPlaces ?? 1;
  const coverage = data.intervalCoverage ?? 0.95;
  const { shown: unsorted, notes } = providersShown(data.providers, (provider) => [provider.value, provider.lower, provider.upper].every(Number.isFinite));
  // Lowest first: category rows run upwards, so the highest value is the top row.
  const shown = [...unsorted].sort((a, b) => drawn(a).value - drawn(b).value);
  const shrunken = shown.length > 0 && shown.every((provider) => provider.shrunken !== undefined);
  const rowOf = new Map(shown.map((provider, row) => [provider, row]));
  const emphasisOf = emphasisFor(shown);

  const intervalName = `${coveragePercent(coverage)} % interval${shrunken ? ' (shrunken estimate)' : ''}`;
  const intervalSeries: CustomSeriesOption = {
    type: 'custom',
    id: 'intervals',
    name: intervalName,
    renderItem: intervalRenderer(
      shown.map((provider) => ({ name: provider.name, rank: provider.rank ? `rank ${rankRange(provider.rank)}` : '', emphasis: emphasisOf(provider) })),
      rowNames,
    ),
    encode: { x: [0, 1], y: 2 },
    silent: true,
    z: 2,
    itemStyle: { color: nhsColours.darkGrey },
    data: shown.map((provider, row) => ({
      value: [drawn(provider).lower, drawn(provider).upper, row],
      // Outside the network an interval is drawn in the faded markers' grey, which keeps 3:1 on white.
      itemStyle: { color: emphasisOf(provider) === 'faded' ? fadedMarker.outline : judgementStyles[provider.judgement].colour },
    })),
  };

  const benchmarkName = `Benchmark: ${formatValue(data.target, data.unit, decimalPlaces)}`;
  const benchmarkSeries = benchmarkLineSeries(benchmarkName, { xAxis: data.target });

  const pointSeries = providerPointSeries(shown, {
    item: (provider): CaterpillarPointItem => caterpillarPointItem(provider, rowOf.get(provider) ?? 0, data, decimalPlaces, coverage),
    labelled: false,
  });
  const padded = paddedExtent([...shown.flatMap((provider) => [drawn(provider).lower, drawn(provider).upper]), data.target], 0.05);
  const extent = { ...padded, min: Math.max(padded.min, data.valueRange?.min ?? -Infinity), max: Math.min(padded.max, data.valueRange?.max ?? Infinity) };
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      shrunken
        ? `Caterpillar plot of ${shown.length} providers ordered by their shrunken (empirical Bayes) ${data.valueAxisLabel}, with ${intervalName}s, each provider's rank interval and a benchmark of ${formatValue(data.target, data.unit, decimalPlaces)}.`
        : `Caterpillar plot of ${shown.length} providers ranked by ${data.valueAxisLabel}, with ${intervalName}s and a benchmark of ${formatValue(data.target, data.unit, decimalPlaces)}.`,
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
    // Inside a phone's narrow plot the axis name wraps, or the plot would shrink to the name's width.
    xAxis: rowNames === 'inside' ? { ...valueAxis(data.valueAxisLabel, 28, extent), nameTextStyle: { ...valueAxis(data.valueAxisLabel, 28).nameTextStyle, width: narrowAxisNameWidth, overflow: 'break' } } : valueAxis(data.valueAxisLabel, 28, extent),
    yAxis: {
      type: 'category',
      // Network members' names in bold, the others in grey, as their markers are emphasised and faded.
      data: shown.map((provider) => ({
        value: provider.name,
        textStyle: { color: rowTextColour(emphasisOf(provider)), fontWeight: emphasisOf(provider) === 'highlighted' ? 'bold' : 'normal' },
      })),
      axisLabel: { show: rowNames === 'axis', fontFamily, fontSize: 11, interval: shown.length <= labelEveryRowUpTo ? 0 : 'auto', width: rowLabelWidth, overflow: 'truncate' },
      axisTick: { show: false },
      splitLine: { show: false },
    },
    series: [intervalSeries, benchmarkSeries, ...pointSeries],
  };
}

export function caterpillarPointItem(provider: CaterpillarProvider, row: number, data: CaterpillarChartData, decimalPlaces: number, coverage: number): CaterpillarPointItem {
  const { shrunken, rank } = provider;
  return {
    providerId: provider.id,
    name: provider.name,
    value: [drawn(provider).value, row],
    tooltipTitle: provider.name,
    tooltipLines: [
      ...(shrunken
        ? [
            `Shrunken estimate: ${formatValue(shrunken.value, data.unit, decimalPlaces)}`,
            formatInterval(shrunken.lower, shrunken.upper, data.unit, decimalPlaces, coverage),
            `Observed: ${formatValue(provider.value, data.unit, decimalPlaces)}`,
          ]
        : [`${data.valueAxisLabel}: ${formatValue(provider.value, data.unit, decimalPlaces)}`, formatInterval(provider.lower, provider.upper, data.unit, decimalPlaces, coverage)]),
      ...(rank ? [`Rank: ${rankRange(rank)} (95 % interval; 1 is the highest)`] : []),
      judgementStyles[provider.judgement].label,
    ],
  };
}
