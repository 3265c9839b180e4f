import type { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { requestAsCaller } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { describeExport, exportedCharts } from '../../exports/chart-exports';
import type { SpcJson } from '../../charts/api-chart-data';
import { validate } from '../../validation';
import { spcAnnotations } from './export-annotations';
import { usingRenderPool } from '../../workers/render-pool';

const exportQuery = z.looseObject({
  format: z.enum(['png', 'svg', 'csv']).default('png'),
  size: z.enum(['slide', 'a4']).default('slide'),
});

/**
 * GET /api/exports/{funnel|caterpillar|spc|tartan|spine}?format=png|svg|csv&size=slide|a4 plus the parameters of the
 * chart's own route: the chart rendered on the server (ECharts SSR, resvg for PNG) with its title, period,
 * source and method footnote, sized for a slide (1280 × 720) or an A4 landscape page (1123 × 794). The JSON is
 * asked for on this thread; the drawing happens in the render pool (api/workers/render-pool.ts), which answers
 * 429 with Retry-After when full.
 */
export function mountExports<App extends Hono<AppEnv, any, any>>(app: App): App {
  app.get(
    '/exports/:chart',
    describeRoute({
      tags: ['Exports'],
      summary: 'A chart as PNG, SVG or CSV for a board paper, from the same numbers as its JSON route',
      responses: {
        200: { description: 'The chart as a file to download' },
        400: { description: 'A parameter is invalid; the error names it' },
        429: { description: 'The server is busy drawing other charts and packs; Retry-After says when to try again' },
      },
    }),
    validate('param', z.object({ chart: z.enum(['funnel', 'caterpillar', 'spc', 'tartan', 'spine']) })),
    validate('query', exportQuery),
    async (c) => {
      const { chart } = c.req.valid('param');
      const { format, size } = c.req.valid('query');
      const { source } = exportedCharts[chart];
      const forwarded = new URL(c.req.url).searchParams;
      forwarded.delete('format');
      forwarded.delete('size');
      const path = typeof source === 'function' ? source(forwarded) : source;
      // The spine's organisation is a path segment of the profile route, not one of its query parameters.
      if (chart === 'spine') forwarded.delete('organisation');
      // Refused before the JSON is asked for when the render pool has no room for the drawing.
      if (format !== 'csv') await usingRenderPool(c, (pool) => pool.assertRoom());
      const response = await requestAsCaller(c, app.request, `${path}?${forwarded}`);
      // The chart's own route has already answered a bad parameter or an unknown code with its JSON error.
      if (!response.ok) return response;
      const json: unknown = await response.json();
      // An SPC chart carries the provider's notes on it, asked of the notes route as the caller, so a restricted network's notes stay its own.
      if (chart === 'spc') (json as SpcJson).annotations = await spcAnnotations(c, app.request, forwarded);
      const described = describeExport(chart, json);
      const fileName = `${chart}-${described.name}`.replace(/[^A-Za-z0-9-]+/g, '-');
      const headers = { 'content-disposition': `attachment; filename="${fileName}.${format}"`, 'x-chart-title': encodeURIComponent(described.title) };
      if (format === 'csv') return c.body(described.csv(), 200, { ...headers, 'content-type': 'text/csv; charset=utf-8' });
      const drawn = await usingRenderPool(c, (pool) => pool.drawChart({ chart, json, size, format }));
      if (typeof drawn === 'string') return c.body(drawn, 200, { ...headers, 'content-type': 'image/svg+xml; charset=utf-8' });
      return c.body(new Uint8Array(drawn), 200, { ...headers, 'content-type': 'image/png' });
    },
  );
  return app;
}
