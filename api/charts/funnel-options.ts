/**
 * Funnel plot options (Spiegelhalter 2005, Stat Med 24:1185; NHS Digital SHMI; CQC): providers
 * by precision and value, the benchmark, and control limits that narrow as precision grows,
 * unadjusted and/or adjusted for overdispersion (99.8 % solid, 95 % dashed; the adjusted lines
 * darker when both are drawn). Points are coloured and shaped by their polarity-aware judgement;
 * the chosen network is drawn emphasised over the faded others.
 */
import type { EChartsOption, LineSeriesOption } from 'echarts';
import { benchmarkLineSeries, chartFrame, fontFamily, lineLegendEntry, paddedExtent, valueAxis } from './chart-frame';
import { coveragePercent, formatInterval, formatNumber, formatValue } from './format';
import { judgementStyles, nhsColours } from './palette';
import { highlightedSummary, judgementCounts, judgementLegend, providerPointSeries, providersShown } from './provider-points';
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

export function funnelChartOptions(data: FunnelChartData): EChartsOption {
  const decimalPlaces = data.decimalPlaces ?? 1;
  const logScale = data.xAxisScale === 'log';
  const { shown, notes } = providersShown(
    data.providers,
    (provider) => Number.isFinite(provider.value) && Number.isFinite(provider.precision) && (!logScale || provider.precision > 0),
  );

  const bothKinds = new Set(data.curves.map((curve) => curve.kind)).size > 1;
  const widestCoverage = Math.max(...data.curves.map((curve) => curve.coverage));
  const curveSeries = data.curves.map((curve): LineSeriesOption => {
    const secondary = bothKinds && curve.kind === 'unadjusted';
    const colour = secondary ? nhsColours.midGrey : nhsColours.darkGrey;
    return {
      type: 'line',
      id: `limit-${curve.kind}-${coveragePercent(curve.coverage)}`,
      name: limitCurveName(curve, bothKinds),
      // Lower then upper limit as one line, broken by '-' so the two ends are not joined.
      data: [...curve.points.map((point) => [point.precision, point.lower]), '-', ...curve.points.map((point) => [point.precision, point.upper])],
      symbol: 'none',
      silent: true,
      z: 2,
      lineStyle: { color: colour, width: secondary ? 1 : 1.5, type: curve.coverage === widestCoverage ? 'solid' : 'dashed' },
      itemStyle: { color: colour },
    };
  });

  const benchmarkName = `Benchmark: ${formatValue(data.target, data.unit, decimalPlaces)}`;
  const benchmarkSeries = benchmarkLineSeries(benchmarkName, { yAxis: data.target });

  const pointSeries = providerPointSeries(shown, { item: (provider) => funnelPointItem(provider, data, decimalPlaces), labelHighlighted: true });
  const extent = paddedExtent([...shown.map((provider) => provider.value), data.target]);
  const frame = chartFrame(data, {
    description: [
      `${data.title}, ${data.subtitle}.`,
      `Funnel plot of ${shown.length} providers: ${data.yAxisLabel} against ${data.xAxisLabel}, with a benchmark of ${formatValue(data.target, data.unit, decimalPlaces)}.`,
      shown.length > 0 ? `${judgementCounts(shown)}.` : '',
      highlightedSummary(shown),
    ]
      .filter((sentence) => sentence !== '')
      .join(' '),
    notes,
    legend: [...judgementLegend(shown), lineLegendEntry(benchmarkName), ...curveSeries.map((series) => lineLegendEntry(String(series.name)))],
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
      axisLabel: { fontFamily, color: nhsColours.darkGrey },
      splitLine: { lineStyle: { color: nhsColours.paleGrey } },
    },
    yAxis: valueAxis(data.yAxisLabel, 48, extent),
    series: [...curveSeries, benchmarkSeries, ...pointSeries],
  };
}

export function funnelPointItem(provider: FunnelProvider, data: FunnelChartData, decimalPlaces: number): FunnelPointItem {
  const lines = [`${data.yAxisLabel}: ${formatValue(provider.value, data.unit, decimalPlaces)}`];
  if (provider.lower !== undefined && provider.upper !== undefined) {
    lines.push(formatInterval(provider.lower, provider.upper, data.unit, decimalPlaces, data.intervalCoverage ?? 0.95));
  }
  lines.push(
    `${data.xAxisLabel}: ${formatNumber(provider.precision, Number.isInteger(provider.precision) ? 0 : 1)}`,
    `z-score: ${formatNumber(provider.z, 2)}`,
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
