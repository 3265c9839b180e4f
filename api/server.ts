import { serve } from '@hono/node-server';
import { createDatabase, databaseConfigFromEnv, migrateDatabase } from '../db';
import { createApp } from './app';
import { serverConfigFromEnv } from './config';

/** `npm start`: opens the configured database, brings its schema up to date and serves the API. */
const config = serverConfigFromEnv();
const handle = await createDatabase(databaseConfigFromEnv());
await migrateDatabase(handle);
const app = createApp({ db: handle.db, databaseKind: handle.kind });

const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
  console.log(`Variation Atlas on http://${config.HOST}:${info.port} (database: ${handle.kind})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void handle.close().then(() => process.exit(0));
  });
}
