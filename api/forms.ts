import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ApiError } from './errors';

/** A browser's form post (the dashboard without script) is a navigation; a script's request never is. */
export const isFormPost = (c: Context) => c.req.header('sec-fetch-mode') === 'navigate';

/**
 * The dashboard's plain forms post straight to the API (SvelteKit's form actions would need its origin
 * configured): a refusal goes back to the page with its code, which the page puts in its own words, rather
 * than leaving the browser on a JSON body. `page` may carry a query string of its own.
 */
export const formRefusalsTo =
  (page: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    await next();
    if (isFormPost(c) && c.error instanceof ApiError) {
      const target = page(c);
      const location = `${target}${target.includes('?') ? '&' : '?'}error=${encodeURIComponent(c.error.code)}`;
      c.res = new Response(null, { status: 303, headers: { location } });
    }
  };
