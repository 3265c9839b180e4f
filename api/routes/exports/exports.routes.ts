import type { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { caterpillarChartOptions, chartSizes, funnelChartOptions, renderChartSvg, spcChartOptions, spineChartOptions, tartanChartOptions } from '../../charts';
import { withMdcIcons } from '../../charts/mdc-icons';
import { renderChartPng } from '../../charts/render-png';
import { requestAsCaller } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
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
} from '../../charts/api-chart-data';
import { toCsv } from '../../exports/csv';
import { validate } from '../../validation';

type ChartRender = { title: string; options: ReturnType<typeof funnelChartOptions>; csv: string; name: string };

/**
 * Each chart kind: the API route whose JSON it draws, and how that JSON becomes the chart and its CSV. Exports
 * fetch the route in process, so an exported number is always the one the JSON route answers.
 */
const charts = {
  funnel: {
    source: '/api/funnel',
    render: (json: FunnelJson): ChartRender => ({
      title: json.indicator.name,
      options: funnelChartOptions(funnelChartData(json)),
      csv: funnelCsv(json),
      name: `${json.indicator.code}-${json.period.label}`,
    }),
  },
  caterpillar: {
    source: '/api/funnel',
    render: (json: FunnelJson): ChartRender => ({
      title: json.indicator.name,
      options: caterpillarChartOptions(caterpillarChartData(json)),
      csv: funnelCsv(json),
      name: `${json.indicator.code}-${json.period.label}`,
    }),
  },
  spc: {
    source: '/api/trends/spc',
    render: (json: SpcJson): ChartRender => ({
      title: `${json.indicator.name}: ${json.organisation.name}`,
      options: withMdcIcons(spcChartOptions(spcChartData(json)), json),
      csv: toCsv(['period', 'suppressed', 'value', 'centre', 'lowerLimit', 'upperLimit', 'specialCause'], json.points),
      name: `${json.indicator.code}-${json.organisation.code}`,
    }),
  },
  tartan: {
    source: '/api/overview',
    render: (json: OverviewJson): ChartRender => ({
      title: json.network.name,
      options: tartanChartOptions(tartanChartData(json)),
      csv: toCsv(['organisation', 'indicator', 'suppressed', 'value', 'judgement'], json.cells),
      name: json.network.code,
    }),
  },
  spine: {
    source: (query: URLSearchParams) => `/api/profile/${encodeURIComponent(query.get('organisation') ?? '')}`,
    render: (json: ProfileJson): ChartRender => ({
      title: json.organisation.name,
      options: spineChartOptions(spineChartData(json)),
      csv: toCsv(
        ['indicator', 'period', 'suppressed', 'value', 'benchmark', 'judgement'],
        json.indicators.map((entry) => ({ indicator: entry.indicator.code, period: entry.period.label, suppressed: entry.suppressed, value: entry.value, benchmark: entry.benchmark.value, judgement: entry.funnel.judgement ?? null })),
      ),
      name: json.organisation.code,
    }),
  },
} as const;

function funnelCsv(json: FunnelJson): string {
  return toCsv(['code', 'name', 'inNetwork', 'suppressed', 'value', 'lower', 'upper', 'z', 'adjustedZ', 'band', 'judgement'], json.providers);
}

const exportQuery = z.looseObject({
  format: z.enum(['png', 'svg', 'csv']).default('png'),
  size: z.enum(['slide', 'a4']).default('slide'),
});

/**
 * GET /api/exports/{funnel|caterpillar|spc|tartan|spine}?format=png|svg|csv&size=slide|a4 plus the parameters of the
 * chart's own route: the chart rendered on the server (ECharts SSR, resvg for PNG) with its title, period,
 * source and method footnote, sized for a slide (1280 × 720) or an A4 landscape page (1123 × 794).
 */
export function mountExports<App extends Hono<AppEnv, any, any>>(app: App): App {
  app.get(
    '/exports/:chart',
    describeRoute({ tags: ['Exports'], summary: 'A chart as PNG, SVG or CSV for a board paper, from the same numbers as its JSON route' }),
    validate('param', z.object({ chart: z.enum(['funnel', 'caterpillar', 'spc', 'tartan', 'spine']) })),
    validate('query', exportQuery),
    async (c) => {
      const { chart } = c.req.valid('param');
      const { format, size } = c.req.valid('query');
      const { source, render } = charts[chart];
      const forwarded = new URL(c.req.url).searchParams;
      forwarded.delete('format');
      forwarded.delete('size');
      const path = typeof source === 'function' ? source(forwarded) : source;
      // The spine's organisation is a path segment of the profile route, not one of its query parameters.
      if (chart === 'spine') forwarded.delete('organisation');
      const response = await requestAsCaller(c, app.request, `${path}?${forwarded}`);
      // The chart's own route has already answered a bad parameter or an unknown code with its JSON error.
      if (!response.ok) return response;
      const drawn = (render as (json: unknown) => ChartRender)(await response.json());
      const fileName = `${chart}-${drawn.name}`.replace(/[^A-Za-z0-9-]+/g, '-');
      const headers = { 'content-disposition': `attachment; filename="${fileName}.${format}"`, 'x-chart-title': encodeURIComponent(drawn.title) };
      if (format === 'csv') return c.body(drawn.csv, 200, { ...headers, 'content-type': 'text/csv; charset=utf-8' });
      const svg = renderChartSvg(drawn.options, chartSizes[size]);
      if (format === 'svg') return c.body(svg, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
      const png = renderChartPng(svg, { width: chartSizes[size].width });
      return c.body(new Uint8Array(png), 200, { ...headers, 'content-type': 'image/png' });
    },
  );
  return app;
}
