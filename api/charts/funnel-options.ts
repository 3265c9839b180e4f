/**
 * Funnel plot options (Spiegelhalter 2005, Stat Med 24:1185; NHS Digital SHMI; CQC): providers
 * by precision and value, the benchmark, and control limits that narrow as precision grows,
 * unadjusted and/or adjusted for overdispersion. Each limit has its own dash pattern, so the four
 * curves are told apart in greyscale print as well as on screen (99.8 % solid, 95 % dashed; the
 * unadjusted ones dotted and dash-dotted in a lighter grey beside the adjusted). Targets in force are
 * labelled horizontal lines, and the Benjamini–Hochberg false discovery rate limits (Jones, Ohlssen &
 * Spiegelhalter 2008) a labelled pair of red curves. Points are coloured and shaped by their
 * polarity-aware judgement; the chosen network is drawn emphasised over the tinted others. Names are
 * ranked here (`funnelLabelRanks`) and placed clear of each other, the lines and the key once the chart
 * is laid out (label-placement-chart.ts).
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { benchmarkLineSeries, chartFrame, fontFamily, lineLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { coveragePercent, formatInterval, formatNumber, formatValue } from './format';
import { judgementStyles, nhsColours } from './palette';
import { emphasisFor, highlightedSummary, isSignal, judgementCounts, judgementLegend, providerPointSeries, providersShown } from './provider-points';
import type { FunnelChartData, FunnelProvider, TooltipFields } from './types';

type FunnelCurve = FunnelChartData['curves'][number];

export interface FunnelPointItem extends TooltipFields {
  providerId: string;
  name: string;
  /** [precision, value] */
  value: [number, number];
}

/** "99.8 % limit (adjusted for overdispersion)"; "(unadjusted)" only when adjusted curves are drawn too. */
export function limitCurveName(curve: Pick<FunnelCurve, 'coverage' | 'kind'>, bothKinds: boolean): string {
  const base = `${coveragePercent(curve.coverage)} % limit`;
  if (curve.kind === 'adjusted') return `${base} (adjusted for overdispersion)`;
  return bothKinds ? `${base} (unadjusted)` : base;
}

type DashPattern = 'solid' | number[];

/**
 * Line of each limit: the widest coverage solid and the narrower dashed; beside adjusted curves the
 * unadjusted are lighter, thinner, dotted (widest) and dash-dotted, so no two of the four share a pattern.
 */
export function limitLineStyle(curve: Pick<FunnelCurve, 'coverage' | 'kind'>, bothKinds: boolean, widestCoverage: number): { color: string; width: number; type: DashPattern } {
  const widest = curve.coverage === widestCoverage;
  if (bothKinds && curve.kind === 'unadjusted') return { color: nhsColours.midGrey, width: 1.5, type: widest ? [1.5, 3] : [9, 3, 1.5, 3] };
  return { color: nhsColours.darkGrey, width: widest ? 2 : 1.5, type: widest ? 'solid' : [6, 4] };
}

/** Target lines are blue and long-dashed; the benchmark is solid black. */
const targetLineStyle = { color: nhsColours.darkBlue, width: 1.5, type: [12, 4] as number[] };
/** The false discovery rate limits: red, thick and short-dashed, unlike every grey limit. */
const fdrLineStyle = { color: nhsColours.red, width: 2, type: [4, 3] as number[] };

const clampTo = (range: FunnelChartData['valueRange']) => (value: number) => Math.min(range?.max ?? Infinity, Math.max(range?.min ?? -Infinity, value));

/** How the funnel fits its canvas: a phone names no member within the limits, and cuts names shorter. */
export interface FunnelLayout {
  narrow?: boolean;
}

/** Names are cut at this width (a phone's plot is about 300 px wide). */
const labelWidths = { wide: 220, narrow: 120 };

/**
 * The order in which providers are named (issue 16): beyond 99.8 % worse than expected, then beyond 99.8 % better
 * (or, without a direction, either way), then beyond 95 % on the worse side, then on the better side, then network
 * members within the limits (not on a phone); within each, the largest |z| (adjusted where adjusted) first.
 * Providers outside a chosen network are named on hover only. Ranks are 0, 1, 2…; undefined leaves a provider
 * unnamed.
 */
export function funnelLabelRanks(shown: readonly FunnelProvider[], layout: FunnelLayout = {}): Map<FunnelProvider, number> {
  const emphasisOf = emphasisFor(shown);
  const worseSide = worseBandSide(shown);
  const tierOf = (provider: FunnelProvider): number | undefined => {
    const emphasis = emphasisOf(provider);
    if (emphasis === 'faded') return undefined;
    if (provider.band.endsWith('99.8')) return provider.judgement === 'worse' ? 0 : 1;
    if (provider.band.endsWith('-95')) return worseSide === undefined || provider.band.startsWith(worseSide) ? 2 : 3;
    return emphasis === 'highlighted' && !layout.narrow ? 4 : undefined;
  };
  const size = (provider: FunnelProvider) => Math.abs(provider.adjustedZ ?? provider.z);
  const ranked = shown
    .map((provider) => ({ provider, tier: tierOf(provider) }))
    .filter((entry): entry is { provider: FunnelProvider; tier: number } => entry.tier !== undefined)
    .sort((a, b) => a.tier - b.tier || size(b.provider) - size(a.provider));
  return new Map(ranked.map((entry, rank) => [entry.provider, rank]));
}

/** 'above' where providers above the limits are judged worse (from the judgements on the chart); undefined without a direction. */
function worseBandSide(shown: readonly FunnelProvider[]): 'above' | 'below' | undefined {
  for (const provider of shown) {
    if (provider.judgement === 'worse') return provider.band.startsWith('above') ? 'above' : 'below';
    if (provider.judgement === 'better') return provider.band.startsWith('above') ? 'below' : 'above';
  }
  return undefined;
}

export function funnelChartOptions(data: FunnelChartData, layout: FunnelLayout = {}): EChartsOption {
  const decimalPlaces = data.decimalPlaces ?? 1;
  const logScale = data.xAxisScale === 'log';
  const clamp = clampTo(data.valueRange);
  const { shown, notes } = providersShown(
    data.providers,
    (provider) => Number.isFinite(provider.value) && Number.isFinite(provider.precision) && (!logScale || provider.precision > 0),
  );

  const bothKinds = new Set(data.curves.map((curve) => curve.kind)).size > 1;
  const widestCoverage = Math.max(...data.curves.map((curve) => curve.coverage));
  // Lower then upper limit as one line, broken by '-' so the two ends are not joined; clamped to the measure's range.
  const curveData = (points: FunnelCurve['points']) => [...points.map((point) => [point.precision, clamp(point.lower)]), '-', ...points.map((point) => [point.precision, clamp(point.upper)])];
  const curveSeries = data.curves.map((curve): LineSeriesOption => {
    const lineStyle = limitLineStyle(curve, bothKinds, widestCoverage);
    return {
      type: 'line',
      id: `limit-${curve.kind}-${coveragePercent(curve.coverage)}`,
      name: limitCurveName(curve, bothKinds),
      data: curveData(curve.points),
      symbol: 'none',
      silent: true,
      z: 2,
      lineStyle,
      itemStyle: { color: lineStyle.color },
    };
  });
  const fdrSeries: LineSeriesOption[] = data.fdrCurve
    ? [{ type: 'line', id: 'fdr', name: data.fdrCurve.label, data: curveData(data.fdrCurve.points), symbol: 'none', silent: true, z: 2, lineStyle: fdrLineStyle, itemStyle: { color: fdrLineStyle.color } }]
    : [];

  const benchmarkName = `${data.benchmarkLabel ?? 'Benchmark'}: ${formatValue(data.target, data.unit, decimalPlaces)}`;
  const benchmarkSeries = benchmarkLineSeries(benchmarkName, { yAxis: data.target });
  const targetLines = data.targetLines ?? [];
  const targetSeries: LineSeriesOption[] = targetLines.map((line, index) => ({
    type: 'line',
    id: `target-${index}`,
    name: `${line.label}: ${formatValue(line.value, data.unit, decimalPlaces)}`,
    data: [],
    symbol: 'none',
    silent: true,
    z: 2,
    lineStyle: targetLineStyle,
    itemStyle: { color: targetLineStyle.color },
    markLine: {
      silent: true,
      symbol: 'none',
      lineStyle: targetLineStyle,
      label: { show: true, position: 'insideStartTop', formatter: line.label, fontFamily, fontSize: 11, color: nhsColours.darkBlue, textBorderColor: nhsColours.white, textBorderWidth: 3 },
      data: [{ yAxis: line.value }],
    },
  }));

  const ranks = funnelLabelRanks(shown, layout);
  const pointSeries = providerPointSeries(shown, {
    item: (provider) => funnelPointItem(provider, data, decimalPlaces),
    labelled: true,
    labelRank: (provider) => ranks.get(provider),
    labelMaxWidth: layout.narrow ? labelWidths.narrow : labelWidths.wide,
    // A signal's name may cover an as-expected marker rather than be left out.
    labelRequired: (provider) => isSignal(provider.judgement),
  });
  const extent = valueExtent([...shown.map((provider) => provider.value), data.target, ...targetLines.map((line) => line.value)], data.valueRange);
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      `Funnel plot of ${shown.length} providers: ${data.yAxisLabel} against ${data.xAxisLabel}, with a ${(data.benchmarkLabel ?? 'benchmark').toLowerCase()} of ${formatValue(data.target, data.unit, decimalPlaces)}.`,
      ...targetLines.map((line) => `${line.label}: ${formatValue(line.value, data.unit, decimalPlaces)}.`),
      data.fdrCurve ? `${data.fdrCurve.label} drawn.` : '',
      shown.length > 0 ? `${judgementCounts(shown)}.` : '',
      highlightedSummary(shown),
    ]
      .filter((sentence) => sentence !== '')
      .join(' '),
    notes,
    legend: [
      ...judgementLegend(shown),
      lineLegendEntry(benchmarkName),
      ...targetSeries.map((series) => lineLegendEntry(String(series.name))),
      ...curveSeries.map((series) => lineLegendEntry(String(series.name))),
      ...fdrSeries.map((series) => lineLegendEntry(String(series.name))),
    ],
  });

  return {
    ...frame,
    xAxis: {
      type: logScale ? 'log' : 'value',
      ...(logScale ? {} : { min: 0 }),
      name: data.xAxisLabel,
      nameLocation: 'middle',
      nameGap: 28,
      nameTextStyle: { fontFamily, fontSize: 13, color: nhsColours.black },
      axisLabel: { fontFamily, color: nhsColours.darkGrey, hideOverlap: true },
      splitLine: { lineStyle: { color: nhsColours.paleGrey } },
    },
    yAxis: valueAxis(data.yAxisLabel, tickLabelRoom(extent, decimalPlaces), extent),
    series: [...curveSeries, ...fdrSeries, benchmarkSeries, ...targetSeries, ...pointSeries],
  };
}

/** The y-axis name's distance from the axis: enough for the widest tick label (about 7 px a character at 12 px), no more. */
export function tickLabelRoom(extent: { min: number; max: number; interval: number }, decimalPlaces: number): number {
  const stepDecimals = Math.max(0, Math.min(decimalPlaces + 2, -Math.floor(Math.log10(extent.interval))));
  const widest = Math.max(...[extent.min, extent.max].map((bound) => formatNumber(bound, stepDecimals).length));
  return 16 + 7 * widest;
}

/** The padded extent of the values, kept within the measure's range (a percentage's axis stops at 100). */
export function valueExtent(values: readonly number[], range: FunnelChartData['valueRange']): { min: number; max: number; interval: number } {
  const extent = paddedExtent(values);
  return { ...extent, min: Math.max(extent.min, range?.min ?? -Infinity), max: Math.min(extent.max, range?.max ?? Infinity) };
}

export function funnelPointItem(provider: FunnelProvider, data: FunnelChartData, decimalPlaces: number): FunnelPointItem {
  const lines = [`${data.yAxisLabel}: ${formatValue(provider.value, data.unit, decimalPlaces)}`];
  if (provider.lower !== undefined && provider.upper !== undefined) {
    lines.push(formatInterval(provider.lower, provider.upper, data.unit, decimalPlaces, data.intervalCoverage ?? 0.95));
  }
  lines.push(
    `${data.xAxisLabel}: ${formatNumber(provider.precision, Number.isInteger(provider.precision) ? 0 : 1)}`,
    // The judgement rests on the adjusted z when there is one, so it comes first and says so.
    provider.adjustedZ === undefined
      ? `z-score: ${formatNumber(provider.z, 2)}`
      : `z-score adjusted for overdispersion: ${formatNumber(provider.adjustedZ, 2)} (unadjusted ${formatNumber(provider.z, 2)})`,
    `${judgementStyles[provider.judgement].label} (${bandText(provider.band)})`,
  );
  return { providerId: provider.id, name: provider.name, value: [provider.precision, provider.value], tooltipTitle: provider.name, tooltipLines: lines };
}

/** 'above-99.8' → "above the 99.8 % limit"; 'within' → "within the limits". */
export function bandText(band: FunnelProvider['band']): string {
  if (band === 'within') return 'within the limits';
  const separator = band.indexOf('-');
  return `${band.slice(0, separator)} the ${band.slice(separator + 1)} % limit`;
}
