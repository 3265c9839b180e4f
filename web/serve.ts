import { createApp } from '../api/app';
import { apiConfigOf, serverConfigFromEnv } from '../api/config';
import { defaultApiConfig } from '../api/context';
import { recoverUploads } from '../api/routes/uploads/uploads.queries';
import { createDatabase, databaseConfigFromEnv, migrateDatabase } from '../db';
import { createBatchEtl } from '../etl/batches/batch-etl';
import { createUploadEtl } from '../etl/uploads/upload-etl';
import { createAtlasServer, listenAtlas, loadDashboard } from './server';

/**
 * `npm start` and `npm run serve`: the API (under /api) and the dashboard on one port. Opens the configured
 * database and brings its schema up to date first. The dashboard's uploads are previewed and loaded by the
 * ETL's own code, handed to the API here, as are the load history's rollbacks.
 */
const config = serverConfigFromEnv();
const handle = await createDatabase(databaseConfigFromEnv());
await migrateDatabase(handle);
await recoverUploads(handle.db, apiConfigOf(config).uploadDir ?? defaultApiConfig.uploadDir);
const dashboard = await loadDashboard();
const server = createAtlasServer(createApp({ db: handle.db, databaseKind: handle.kind, config: apiConfigOf(config), uploadEtl: createUploadEtl(handle), batchEtl: createBatchEtl(handle) }).fetch, dashboard);
const origin = await listenAtlas(server, config.PORT, config.HOST);
console.log(`Variation Atlas on ${origin} (database: ${handle.kind}${dashboard ? '' : '; dashboard not built: npm run build:web'})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void handle.close().then(() => process.exit(0));
  });
}
