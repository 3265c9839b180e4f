import type { HandleFetch } from '@sveltejs/kit';

/**
 * Server-side loads ask the API over HTTP: it is a separate Hono app on the same port (web/serve.ts), which
 * SvelteKit's own router does not know. The origin is set by web/serve.ts, or by the developer for `vite dev`.
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const apiOrigin = process.env.VARIATION_ATLAS_API_ORIGIN;
  if (apiOrigin && url.origin === event.url.origin && url.pathname.startsWith('/api/')) {
    return fetch(new Request(new URL(url.pathname + url.search, apiOrigin), request));
  }
  return fetch(request);
};
