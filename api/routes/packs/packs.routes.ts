import type { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { gatherPack, PackSourceError, type ApiRequest } from '../../pack/gather-pack';
import { renderPackCharts } from '../../pack/pack-charts';
import type { PackContent, PackOptions } from '../../pack/pack-content';
import { packPdf } from '../../pack/pack-pdf';
import { packPptx } from '../../pack/pack-pptx';
import { validate } from '../../validation';
import { code, codeList, funnelMethod, periodLabel, suppression } from '../parameters';

/** The parameters of a board pack, for the endpoint and `npm run pack` alike. */
export const packQuery = z.object({
  network: code,
  period: periodLabel,
  indicators: codeList.optional(),
  ...funnelMethod,
  suppression,
  recent: z.coerce.number().int().min(1).max(40).default(4),
  format: z.enum(['pptx', 'pdf']).default('pptx'),
});

export type PackFormat = z.infer<typeof packQuery>['format'];

export const packMediaTypes: Record<PackFormat, string> = {
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
};

/** Gathers a pack through the API's routes; a route's refusal becomes the API's error, naming the pack's parameter. */
export async function gatherPackOrError(request: ApiRequest, options: PackOptions): Promise<PackContent> {
  try {
    return await gatherPack(request, options);
  } catch (error) {
    if (!(error instanceof PackSourceError)) throw error;
    // The status of one of the API's own error answers, so a 4xx or 5xx.
    throw new ApiError(error.status as ContentfulStatusCode, error.code, error.message, error.parameter);
  }
}

export function packFileName(content: Pick<PackContent, 'network' | 'period'>, format: PackFormat): string {
  return `board-pack-${content.network.code}-${content.period}`.replace(/[^A-Za-z0-9-]+/g, '-') + `.${format}`;
}

/** The pack as the bytes of its format, its charts rendered once. */
export async function packFile(content: PackContent, format: PackFormat): Promise<Uint8Array> {
  const charts = await renderPackCharts(content);
  return format === 'pdf' ? packPdf(content, charts) : packPptx(content, charts);
}

const binary = { schema: { type: 'string' as const, format: 'binary' } };

/**
 * GET /api/packs?network=&period=&indicators=A,B&convention=&adjustment=&trim=&trimMethod=&suppression=&recent=&format=pptx|pdf:
 * a board pack of the network's variation in the period, built from the API's own answers (requested in
 * process, as the exports are), so every number and chart in it is the one the API returns.
 */
export function mountPacks<App extends Hono<AppEnv, any, any>>(app: App): App {
  app.get(
    '/packs',
    describeRoute({
      tags: ['Exports'],
      summary: "A board pack (PPTX or PDF) of a network's variation in a period: outliers, funnels, SPC, findings and methods",
      responses: {
        200: { description: 'The pack as a file to download', content: { [packMediaTypes.pptx]: binary, [packMediaTypes.pdf]: binary } },
        400: { description: 'A parameter is invalid; the error names it' },
        404: { description: 'The network, an indicator or the period is unknown, or the network has no figures for it' },
      },
    }),
    validate('query', packQuery),
    async (c) => {
      const { format, ...options } = c.req.valid('query');
      const content = await gatherPackOrError((path) => app.request(path), options);
      const file = await packFile(content, format);
      return c.body(new Uint8Array(file), 200, {
        'content-type': packMediaTypes[format],
        'content-disposition': `attachment; filename="${packFileName(content, format)}"`,
      });
    },
  );
  return app;
}
