import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { apiConfigOf, jobQueueConfigOf, serverConfigFromEnv } from '../api/config';
import { defaultApiConfig } from '../api/context';
import { takeJobs } from '../api/jobs/job-workers';
import { openJobQueue } from '../api/jobs/open-job-queue';
import { stagedFilesFor } from '../api/routes/uploads/staged-files';
import { recoverUploads } from '../api/routes/uploads/uploads.queries';
import { createDatabase, databaseConfigFromEnv, migrateDatabase } from '../db';
import { createUploadEtl } from '../etl/uploads/upload-etl';
import { staleBuildWarning } from './build-stamp';

/**
 * `npm run worker`: a process that serves nothing and runs the queued jobs (uploads' previews and confirmed loads) from the
 * PostgreSQL queue that every replica sends to, VARIATION_ATLAS_WORKERS at once (default 1). Start as many as the
 * load needs; a worker stopped with SIGTERM finishes its running jobs first, and a killed one's job is run again
 * by another worker (api/jobs/pg-boss-queue.ts), found within VARIATION_ATLAS_DEAD_WORKER_CHECK_SECONDS.
 */
// Run as dist/worker.js: say so when the sources beside it changed since it was compiled.
if (import.meta.filename.endsWith('.js')) {
  const stale = staleBuildWarning(fileURLToPath(new URL('..', import.meta.url)), dirname(import.meta.filename), import.meta.filename);
  if (stale) console.error(stale);
}
const config = serverConfigFromEnv();
const databaseConfig = databaseConfigFromEnv();
if (!databaseConfig.url) refuse('npm run worker needs DATABASE_URL: with the embedded database, npm run serve runs the previews and loads itself');
const jobConfig = jobQueueConfigOf(config);
const handle = await createDatabase(databaseConfig);
await migrateDatabase(handle);
const uploadDir = apiConfigOf(config).uploadDir ?? defaultApiConfig.uploadDir;
// Removes only what dead processes left in this machine's staging folder: on PostgreSQL uploads outlive them.
await recoverUploads(handle.db, uploadDir, stagedFilesFor(handle.kind));
const jobs = await openJobQueue(databaseConfig.url, jobConfig);
const concurrency = Math.max(1, jobConfig.workers);
await takeJobs(jobs, { db: handle.db, databaseKind: handle.kind, uploadEtl: createUploadEtl(handle), uploadDir }, concurrency);
console.log(`Variation Atlas worker: taking jobs, ${concurrency} at once`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void jobs
      .stop()
      .then(() => handle.close())
      .then(() => process.exit(0));
  });
}

function refuse(message: string): never {
  console.error(message);
  process.exit(1);
}
