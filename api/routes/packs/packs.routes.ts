import type { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { requestAsCaller } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { gatherPack, latestPackPeriod, PackSourceError, type ApiRequest } from '../../pack/gather-pack';
import type { PackContent, PackRouteOptions } from '../../pack/pack-content';
import { packFileName, packMediaTypes } from '../../pack/pack-files';
import { validate } from '../../validation';
import { usingRenderPool } from '../../workers/render-pool';
import { packRouteQuery } from './packs.schemas';

/** Gathers a pack through the API's routes; a route's refusal becomes the API's error, naming the pack's parameter. */
async function gatherPackOrError(request: ApiRequest, options: PackRouteOptions): Promise<PackContent> {
  try {
    return await gatherPack(request, { ...options, period: options.period ?? (await latestPackPeriod(request, options.network, options.indicators)) });
  } catch (error) {
    if (!(error instanceof PackSourceError)) throw error;
    // The status of one of the API's own error answers, so a 4xx or 5xx.
    throw new ApiError(error.status as ContentfulStatusCode, error.code, error.message, error.parameter);
  }
}

const binary = { schema: { type: 'string' as const, format: 'binary' } };

/**
 * GET /api/packs?network=&period=&indicators=A,B&convention=&adjustment=&trim=&trimMethod=&suppression=&recent=&format=pptx|pdf:
 * a board pack of the network's variation in the period (default: the latest of its indicators, named in the
 * file name and the X-Pack-Period header), built from the API's own answers (requested in process, as the
 * exports are), so every number and chart in it is the one the API returns. The gathering runs on this thread;
 * the charts and the file are written in the render pool (api/workers/render-pool.ts).
 */
export function mountPacks<App extends Hono<AppEnv, any, any>>(app: App): App {
  app.get(
    '/packs',
    describeRoute({
      tags: ['Exports'],
      summary: "A board pack (PPTX or PDF) of a network's variation in a period (default: the latest of its indicators): outliers, funnels, SPC, findings and methods",
      responses: {
        200: { description: 'The pack as a file to download', content: { [packMediaTypes.pptx]: binary, [packMediaTypes.pdf]: binary } },
        400: { description: 'A parameter is invalid; the error names it' },
        404: { description: 'The network, an indicator or the period is unknown, or the network has no figures for it' },
        429: { description: 'The server is busy writing other packs and charts; Retry-After says when to try again' },
      },
    }),
    validate('query', packRouteQuery),
    async (c) => {
      const { format, ...options } = c.req.valid('query');
      const request = (path: string) => requestAsCaller(c, app.request, path);
      const { content, file } = await usingRenderPool(c, (pool) =>
        pool.buildPack(async () => gatherPackOrError(request, options), format),
      );
      return c.body(new Uint8Array(file), 200, {
        'content-type': packMediaTypes[format],
        'content-disposition': `attachment; filename="${packFileName(content, format)}"`,
        'x-pack-period': encodeURIComponent(content.period),
      });
    },
  );
  return app;
}
