import { caterpillarChartOptions, chartSizes, funnelChartOptions, renderChartSvg, spcChartOptions, spineChartOptions, tartanChartOptions } from '../charts';
import {
  caterpillarChartData,
  funnelChartData,
  spcChartData,
  spineChartData,
  tartanChartData,
  type FunnelJson,
  type OverviewJson,
  type ProfileJson,
  type SpcJson,
} from '../charts/api-chart-data';
import { withMdcIcons } from '../charts/mdc-icons';
import { renderChartPng } from '../charts/render-png';
import { withNotesByPeriod } from '../charts/annotation-marks';
import { toCsv } from './csv';

type ChartOptions = ReturnType<typeof funnelChartOptions>;

interface ExportedChart<Json> {
  /** The API route whose JSON the chart draws. */
  source: string | ((query: URLSearchParams) => string);
  title: (json: Json) => string;
  /** What the file is named after, besides the chart kind. */
  name: (json: Json) => string;
  csv: (json: Json) => string;
  options: (json: Json) => ChartOptions;
}

const funnelCsv = (json: FunnelJson) => toCsv(['code', 'name', 'inNetwork', 'suppressed', 'value', 'lower', 'upper', 'z', 'adjustedZ', 'band', 'judgement'], json.providers);

/**
 * Each chart kind: the API route whose JSON it draws, and how that JSON becomes the chart and its CSV. Exports
 * fetch the route in process, so an exported number is always the one the JSON route answers.
 */
export const exportedCharts = {
  funnel: {
    source: '/api/funnel',
    title: (json) => json.indicator.name,
    name: (json) => `${json.indicator.code}-${json.period.label}`,
    csv: funnelCsv,
    options: (json) => funnelChartOptions(funnelChartData(json)),
  } satisfies ExportedChart<FunnelJson>,
  caterpillar: {
    source: '/api/funnel',
    title: (json) => json.indicator.name,
    name: (json) => `${json.indicator.code}-${json.period.label}`,
    csv: funnelCsv,
    options: (json) => caterpillarChartOptions(caterpillarChartData(json)),
  } satisfies ExportedChart<FunnelJson>,
  spc: {
    source: '/api/trends/spc',
    title: (json) => `${json.indicator.name}: ${json.organisation.name}`,
    name: (json) => `${json.indicator.code}-${json.organisation.code}`,
    csv: (json) => toCsv(['period', 'suppressed', 'value', 'centre', 'lowerLimit', 'upperLimit', 'specialCause', 'notes'], withNotesByPeriod(json.points, json.annotations)),
    options: (json) => withMdcIcons(spcChartOptions(spcChartData(json)), json),
  } satisfies ExportedChart<SpcJson>,
  tartan: {
    source: '/api/overview',
    title: (json) => json.network.name,
    name: (json) => json.network.code,
    csv: (json) => toCsv(['organisation', 'indicator', 'suppressed', 'value', 'judgement'], json.cells),
    options: (json) => tartanChartOptions(tartanChartData(json)),
  } satisfies ExportedChart<OverviewJson>,
  spine: {
    source: (query: URLSearchParams) => `/api/profile/${encodeURIComponent(query.get('organisation') ?? '')}`,
    title: (json) => json.organisation.name,
    name: (json) => json.organisation.code,
    csv: (json) =>
      toCsv(
        ['indicator', 'period', 'suppressed', 'value', 'benchmark', 'judgement'],
        json.indicators.map((entry) => ({ indicator: entry.indicator.code, period: entry.period.label, suppressed: entry.suppressed, value: entry.value, benchmark: entry.benchmark.value, judgement: entry.funnel.judgement ?? null })),
      ),
    options: (json) => spineChartOptions(spineChartData(json)),
  } satisfies ExportedChart<ProfileJson>,
};

export type ExportedChartKind = keyof typeof exportedCharts;
export type ChartSizeName = keyof typeof chartSizes;

/** An export's title and file name from its chart's JSON, and its CSV (cheap: worked out on the request's thread). */
export function describeExport(chart: ExportedChartKind, json: unknown): { title: string; name: string; csv: () => string } {
  const exported = exportedCharts[chart] as unknown as Pick<ExportedChart<unknown>, 'title' | 'name' | 'csv'>;
  return { title: exported.title(json), name: exported.name(json), csv: () => exported.csv(json) };
}

/** A chart to draw from its route's JSON: what the worker pool is sent (plain data; the options hold functions). */
export interface ChartDrawing {
  chart: ExportedChartKind;
  json: unknown;
  size: ChartSizeName;
  format: 'svg' | 'png';
}

/** The chart as SVG text, or as PNG bytes: ECharts' server-side rendering, then resvg. */
export function drawChart({ chart, json, size, format }: ChartDrawing): string | Uint8Array {
  const options = (exportedCharts[chart].options as (json: unknown) => ChartOptions)(json);
  const svg = renderChartSvg(options, chartSizes[size]);
  if (format === 'svg') return svg;
  return new Uint8Array(renderChartPng(svg, { width: chartSizes[size].width }));
}
