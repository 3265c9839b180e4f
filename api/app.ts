import { Hono } from 'hono';
import type { AppDependencies, AppEnv } from './context';
import { handleError, handleNotFound } from './errors';
import { healthRoutes } from './routes/health/health.routes';

/** The API as a value: routes grouped by resource, dependencies injected, one error handler. */
export function createApp(deps: AppDependencies) {
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('deps', deps);
      await next();
    })
    .basePath('/api')
    .route('/health', healthRoutes);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

export type AppType = ReturnType<typeof createApp>;
