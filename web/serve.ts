import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApp } from '../api/app';
import { alertMailConfig } from '../api/changes/alert-config';
import { createAlertDispatcher } from '../api/changes/alert-dispatcher';
import { apiConfigOf, jobQueueConfigOf, serverConfigFromEnv } from '../api/config';
import { defaultApiConfig } from '../api/context';
import { takeJobs } from '../api/jobs/job-workers';
import { openJobQueue } from '../api/jobs/open-job-queue';
import { stagedFilesFor } from '../api/routes/uploads/staged-files';
import { recoverUploads } from '../api/routes/uploads/uploads.queries';
import { createDatabase, DatabaseLockedError, databaseConfigFromEnv, migrateDatabase } from '../db';
import { createBatchEtl } from '../etl/batches/batch-etl';
import { demoLoadSummary, loadDemo } from '../etl/demo/load-demo';
import { createUploadEtl } from '../etl/uploads/upload-etl';
import { staleBuildWarning } from './build-stamp';
import { listenProblem, portProblem } from './port';
import { createAtlasServer, listenAtlas, loadDashboard } from './server';

/**
 * `npm start` (with --demo) and `npm run serve`: the API (under /api) and the dashboard on one port. Opens the configured
 * database and brings its schema up to date first. The dashboard's uploads are previewed and loaded by the
 * ETL's own code, handed to the API here, as are the load history's rollbacks. When run as dist/serve.js it warns
 * (stderr, one line) if the sources beside dist/ changed since it was compiled (web/build-stamp.ts). An embedded database is this
 * process's alone while it runs (db/lock.ts): a second server or an ETL command on it is refused. Uploads'
 * previews and confirmed loads are jobs (api/jobs): run here, VARIATION_ATLAS_WORKERS of each at once; with DATABASE_URL they go through the
 * PostgreSQL queue, and VARIATION_ATLAS_WORKERS=0 leaves them to `npm run worker` processes (an API-only replica).
 */
// Run as dist/serve.js: say so when the sources beside it changed since it was compiled (under tsx they are what runs).
if (import.meta.filename.endsWith('.js')) {
  const stale = staleBuildWarning(fileURLToPath(new URL('..', import.meta.url)), dirname(import.meta.filename));
  if (stale) console.error(stale);
}
const config = serverConfigFromEnv();
const databaseConfig = databaseConfigFromEnv();
const jobConfig = jobQueueConfigOf(config);
if (jobConfig.workers === 0 && !databaseConfig.url) refuse('VARIATION_ATLAS_WORKERS=0 needs DATABASE_URL: with the embedded database no other process can run the previews and loads');
// A taken port is found before the database is opened and its uploads touched.
const taken = await portProblem(config.PORT, config.HOST);
if (taken) refuse(taken);
const handle = await createDatabase(databaseConfig).catch((error: unknown) => {
  if (!(error instanceof DatabaseLockedError)) throw error;
  return refuse(error.message);
});
await migrateDatabase(handle);
// `npm start`: the demo data set, loaded by this process into the database it has just opened; a later start finds it loaded.
if (process.argv.includes('--demo')) console.log(demoLoadSummary(await loadDemo(handle)));
const uploadDir = apiConfigOf(config).uploadDir ?? defaultApiConfig.uploadDir;
await recoverUploads(handle.db, uploadDir, stagedFilesFor(handle.kind));
const uploadEtl = createUploadEtl(handle);
const jobs = await openJobQueue(databaseConfig.url, jobConfig);
if (jobConfig.workers > 0) await takeJobs(jobs, { db: handle.db, databaseKind: handle.kind, uploadEtl, uploadDir }, jobConfig.workers);
// Digests' e-mails and webhooks, sent after each load commits and retried with back-off, and overdue cases' notices (api/changes/alert-dispatcher.ts).
const alerts = createAlertDispatcher(handle.db, { mail: alertMailConfig(), casePolicy: apiConfigOf(config).casePolicy ?? defaultApiConfig.casePolicy });
alerts.start();
const dashboard = await loadDashboard();
const server = createAtlasServer(createApp({ db: handle.db, databaseKind: handle.kind, config: apiConfigOf(config), uploadEtl, batchEtl: createBatchEtl(handle), jobs }).fetch, dashboard, apiConfigOf(config).allowedHosts);
const origin = await listenAtlas(server, config.PORT, config.HOST).catch(async (error: unknown) => {
  // Taken since the check above.
  const problem = listenProblem(error, config.PORT, config.HOST);
  if (problem === null) throw error;
  await jobs.stop();
  await handle.close();
  return refuse(problem);
});
console.log(`Variation Atlas on ${origin} (database: ${handle.kind}; previews and loads run here: ${jobConfig.workers} of each at once${dashboard ? '' : '; dashboard not built: npm run build:web'})`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void alerts.stop();
    // Previews and loads running here finish first; on PostgreSQL one cut off would be run again by another worker.
    void jobs
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}

/** What the operator must change, in their terms: no stack trace. */
function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
