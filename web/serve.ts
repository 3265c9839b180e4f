import { createApp } from '../api/app';
import { apiConfigOf, serverConfigFromEnv } from '../api/config';
import { defaultApiConfig } from '../api/context';
import { recoverUploads } from '../api/routes/uploads/uploads.queries';
import { createDatabase, DatabaseLockedError, databaseConfigFromEnv, migrateDatabase } from '../db';
import { createBatchEtl } from '../etl/batches/batch-etl';
import { createUploadEtl } from '../etl/uploads/upload-etl';
import { listenProblem, portProblem } from './port';
import { createAtlasServer, listenAtlas, loadDashboard } from './server';

/**
 * `npm start` and `npm run serve`: the API (under /api) and the dashboard on one port. Opens the configured
 * database and brings its schema up to date first. The dashboard's uploads are previewed and loaded by the
 * ETL's own code, handed to the API here, as are the load history's rollbacks. An embedded database is this
 * process's alone while it runs (db/lock.ts): a second server or an ETL command on it is refused.
 */
const config = serverConfigFromEnv();
// A taken port is found before the database is opened and its uploads touched.
const taken = await portProblem(config.PORT, config.HOST);
if (taken) refuse(taken);
const handle = await createDatabase(databaseConfigFromEnv()).catch((error: unknown) => {
  if (!(error instanceof DatabaseLockedError)) throw error;
  return refuse(error.message);
});
await migrateDatabase(handle);
await recoverUploads(handle.db, apiConfigOf(config).uploadDir ?? defaultApiConfig.uploadDir);
const dashboard = await loadDashboard();
const server = createAtlasServer(createApp({ db: handle.db, databaseKind: handle.kind, config: apiConfigOf(config), uploadEtl: createUploadEtl(handle), batchEtl: createBatchEtl(handle) }).fetch, dashboard, apiConfigOf(config).allowedHosts);
const origin = await listenAtlas(server, config.PORT, config.HOST).catch(async (error: unknown) => {
  // Taken since the check above.
  const problem = listenProblem(error, config.PORT, config.HOST);
  if (problem === null) throw error;
  await handle.close();
  return refuse(problem);
});
console.log(`Variation Atlas on ${origin} (database: ${handle.kind}${dashboard ? '' : '; dashboard not built: npm run build:web'})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void handle.close().then(() => process.exit(0));
  });
}

/** What the operator must change, in their terms: no stack trace. */
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
