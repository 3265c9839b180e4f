import type { Hono } from 'hono';
import { openAPIRouteHandler } from 'hono-openapi';
import type { AppEnv } from '../../context';
import { docsPage } from './docs-page';

/** GET /api/openapi.json (generated from the routes' own zod schemas) and GET /api/docs (a browsable page). */
export function mountDocs<App extends Hono<AppEnv, any, any>>(app: App): App {
  app.get(
    '/openapi.json',
    openAPIRouteHandler(app, {
      documentation: {
        openapi: '3.1.0',
        info: {
          title: 'Variation Atlas API',
          version: '0.1.0',
          description: 'Quality measures, funnel-plot variation with overdispersion, SPC trends and exports for NHS clinical networks.',
        },
        servers: [{ url: '/' }],
      },
    }),
  );
  app.get('/docs', (c) => c.html(docsPage));
  return app;
}
