import type { Database, DatabaseKind } from '../../db';
import { stagedFilesFor } from '../routes/uploads/staged-files';
import { runUploadLoad } from '../routes/uploads/upload-load';
import { runUploadPreview } from '../routes/uploads/upload-preview';
import type { UploadEtl } from '../upload-etl';
import type { JobQueue } from './job-queue';

export interface JobWorkerDependencies {
  db: Database;
  databaseKind: DatabaseKind;
  uploadEtl: UploadEtl;
  /** This process's staging folder's root, where a preview or a load reads its copy of the file. */
  uploadDir: string;
}

/** Makes this process take jobs of every kind from the queue, at most `concurrency` of each at once. */
export async function takeJobs(queue: JobQueue, deps: JobWorkerDependencies, concurrency: number): Promise<void> {
  const upload = { db: deps.db, etl: deps.uploadEtl, files: stagedFilesFor(deps.databaseKind), uploadDir: deps.uploadDir };
  await queue.work('upload-preview', concurrency, (job) => runUploadPreview(upload, job));
  await queue.work('upload-load', concurrency, (job) => runUploadLoad(upload, job));
}
