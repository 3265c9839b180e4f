import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../context';
import { ApiError } from '../errors';

/** A browser's form post (the dashboard without script, or its plain forms) is a navigation; a script's request never is. */
export const isFormPost = (c: Context) => c.req.header('sec-fetch-mode') === 'navigate';

/**
 * The dashboard's plain forms post straight to the API (SvelteKit's own form actions would need its origin
 * configured): a refusal goes back to the page with its code, which the page puts in its own words, rather
 * than leaving the browser on a JSON body. As the upload routes do.
 */
export const formRefusalsTo =
  (page: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next();
    if (isFormPost(c) && c.error instanceof ApiError) c.res = new Response(null, { status: 303, headers: { location: `${page(c)}?error=${encodeURIComponent(c.error.code)}` } });
  };
