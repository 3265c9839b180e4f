import { getRequestListener } from '@hono/node-server';
import compression from 'compression';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants } from 'node:zlib';
import { hostAllowed, loopbackHostNames } from '../api/allowed-hosts';

/** SvelteKit's Node handler (web/build/handler.js), connect-style. */
export type DashboardHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/** The API's fetch, e.g. `createApp(...).fetch`. */
export type ApiFetch = (request: Request) => Response | Promise<Response>;

export const dashboardBuild = new URL('./build/handler.js', import.meta.url);

/** The built dashboard's handler, or null when `npm run build:web` has not been run. */
export async function loadDashboard(): Promise<DashboardHandler | null> {
  if (!existsSync(dashboardBuild)) return null;
  return ((await import(dashboardBuild.href)) as { handler: DashboardHandler }).handler;
}

const isApiPath = (url: string | undefined) => url === '/api' || url?.startsWith('/api/') === true || url?.startsWith('/api?') === true;

/**
 * One port for both: /api to the API, everything else to the dashboard. A page asked for under a host name not
 * among `allowedHosts` (DNS rebinding) is refused with a plain 421 page; the API refuses such requests itself,
 * with its JSON error (api/security.ts).
 */
export function createAtlasServer(apiFetch: ApiFetch, dashboard: DashboardHandler | null, allowedHosts: readonly string[] = loopbackHostNames): Server {
  const api = getRequestListener(apiFetch);
  // Pages, JSON, CSV and SVG go out compressed (brotli or gzip, as the browser accepts): JSON funnels shrink about 4×.
  const compress = compression({ brotli: { params: { [constants.BROTLI_PARAM_QUALITY]: 4 } } });
  return createServer((request, response) => compress(request as never, response as never, () => route(request, response)));

  function route(request: IncomingMessage, response: ServerResponse) {
    if (isApiPath(request.url)) return void api(request, response);
    if (!hostAllowed(request.headers.host, allowedHosts)) {
      return void response
        .writeHead(421, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' })
        .end('Misdirected request: this server does not answer for that host name.\n');
    }
    if (dashboard) return dashboard(request, response, () => response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n'));
    response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The dashboard is not built: run `npm run build:web`. The API is under /api.\n');
  }
}

/**
 * Listens, and tells the dashboard's server-side loads where the API is (web/src/hooks.server.ts): the
 * same server, reached over loopback. Resolves with the origin.
 */
export function listenAtlas(server: Server, port: number, host: string): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const { port: actual } = server.address() as AddressInfo;
      const origin = `http://${host.includes(':') ? `[${host}]` : host}:${actual}`;
      process.env.VARIATION_ATLAS_API_ORIGIN = origin;
      resolve(origin);
    });
  });
}
