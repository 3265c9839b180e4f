import type { Handle, HandleFetch } from '@sveltejs/kit';

/** The API's session cookie (api/auth/sessions.ts): the one cookie of the visitor's the API is given. */
const sessionCookieName = 'va_session';

/**
 * Server-side loads ask the API over HTTP: it is a separate Hono app on the same port (web/serve.ts), which
 * SvelteKit's own router does not know. The origin is set by web/serve.ts, or by the developer for `vite dev`.
 * The request goes straight to the API with the visitor's session cookie and nothing else of theirs
 * (SvelteKit would drop it for another hostname, or pass on every cookie for the same one), and X-Forwarded-For
 * as a proxy passes it on: what the visitor's request came with, then the address it came from. The API reads
 * it only as far as VARIATION_ATLAS_TRUSTED_PROXIES allows (api/client-address.ts).
 */
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  const apiOrigin = process.env.VARIATION_ATLAS_API_ORIGIN;
  if (apiOrigin && url.origin === event.url.origin && url.pathname.startsWith('/api/')) {
    const forwarded = new Request(new URL(url.pathname + url.search, apiOrigin), request);
    forwarded.headers.delete('cookie');
    const session = event.cookies.get(sessionCookieName);
    if (session !== undefined) forwarded.headers.set('cookie', `${sessionCookieName}=${session}`);
    const chain = event.request.headers.get('x-forwarded-for');
    forwarded.headers.set('x-forwarded-for', chain ? `${chain}, ${event.getClientAddress()}` : event.getClientAddress());
    return globalThis.fetch(forwarded);
  }
  return fetch(request);
};

/**
 * What a page's head preloads: SvelteKit's default (scripts and styles) and Arimo's latin WOFF2 files, so the text
 * swaps to them early where Arial is missing; the greek subset only loads on the pages that use it.
 */
const preloaded = ({ type, path }: { type: 'js' | 'css' | 'font' | 'asset'; path: string }) => type === 'js' || type === 'css' || (type === 'font' && path.includes('-latin-'));

/** The dashboard's pages: SvelteKit sets the content security policy (svelte.config.js); these headers go with it. */
export const handle: Handle = async ({ event, resolve }) => {
  // Browsers ask for /favicon.ico unprompted (on downloads and error pages, for instance); the icon is an SVG.
  if (event.url.pathname === '/favicon.ico') return new Response(null, { status: 308, headers: { location: '/favicon.svg' } });
  const response = await resolve(event, { preload: preloaded });
  response.headers.set('x-content-type-options', 'nosniff');
  response.headers.set('x-frame-options', 'DENY');
  response.headers.set('referrer-policy', 'same-origin');
  response.headers.set('cross-origin-opener-policy', 'same-origin');
  response.headers.set('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  return response;
};
