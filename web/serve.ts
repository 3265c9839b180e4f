import { getRequestListener } from '@hono/node-server';
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createApp } from '../api/app';
import { serverConfigFromEnv } from '../api/config';
import { createDatabase, databaseConfigFromEnv, migrateDatabase } from '../db';

/**
 * `npm start` and `npm run serve`: one port for the API (under /api) and the dashboard (SvelteKit's Node
 * handler, built by `npm run build:web`). Opens the configured database and brings its schema up to date.
 */
type NodeHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

const config = serverConfigFromEnv();
const handle = await createDatabase(databaseConfigFromEnv());
await migrateDatabase(handle);
const api = getRequestListener(createApp({ db: handle.db, databaseKind: handle.kind }).fetch);

const dashboardBuild = new URL('./build/handler.js', import.meta.url);
const dashboard: NodeHandler | null = existsSync(dashboardBuild) ? ((await import(dashboardBuild.href)) as { handler: NodeHandler }).handler : null;

const server = createServer((request, response) => {
  if (request.url === '/api' || request.url?.startsWith('/api/') || request.url?.startsWith('/api?')) return void api(request, response);
  if (dashboard) return dashboard(request, response, () => notFound(response));
  response.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' }).end('The dashboard is not built: run `npm run build:web`. The API is under /api.\n');
});

function notFound(response: ServerResponse) {
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
}

server.listen(config.PORT, config.HOST, () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  // The dashboard's server-side loads reach the API through this origin (web/src/hooks.server.ts).
  process.env.VARIATION_ATLAS_API_ORIGIN = `http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${port}`;
  console.log(`Variation Atlas on http://${config.HOST}:${port} (database: ${handle.kind}${dashboard ? '' : '; dashboard not built'})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void handle.close().then(() => process.exit(0));
  });
}
