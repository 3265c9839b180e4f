import { and, eq } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { JobKinds } from '../../jobs/job-queue';
import type { UploadEtl, UploadFormatOptions, UploadLoadOutcome } from '../../upload-etl';
import type { StagedFiles } from './staged-files';
import { storable } from './storable';
import { moveUpload, previewOf, recordFailedLoad, type UploadRow } from './uploads.queries';

const { uploads } = schema;

/** What a load job needs: the database, the ETL, where the staged file is kept and this process's staging folder. */
export interface UploadLoadDependencies {
  db: Database;
  etl: UploadEtl;
  files: StagedFiles;
  uploadDir: string;
}

type Confirmer = JobKinds['upload-load']['confirmedBy'];

/**
 * Writes a load's progress to its upload row as it goes, at most one write in flight and the latest count
 * winning, and never awaited by the load: on PGlite a write waits for the load's transaction to end.
 */
function progressWriter(db: Database, id: string) {
  let latest: { done: number; total: number } | undefined;
  let writing: Promise<void> | undefined;
  let lastWrite = 0;
  const write = (): Promise<void> => {
    const next = latest;
    latest = undefined;
    if (!next) return Promise.resolve();
    lastWrite = Date.now();
    return db
      .update(uploads)
      .set({ progressDone: next.done, progressTotal: next.total })
      .where(and(eq(uploads.id, id), eq(uploads.status, 'loading')))
      .then(() => undefined, () => undefined)
      .then(() => (latest && Date.now() - lastWrite >= 250 ? write() : undefined));
  };
  return {
    report(done: number, total: number) {
      latest = { done, total };
      if (writing === undefined && Date.now() - lastWrite >= 250) writing = write().finally(() => (writing = undefined));
    },
    /** The last count written, after any write still in flight. */
    async flush() {
      await writing;
      await write();
    },
  };
}

/** Another run of the same job (a retry of one thought abandoned) finished the upload first. */
class LoadOvertaken extends Error {}

/**
 * A load job (api/jobs), run by a worker process or in the server's own: the ETL's loadObservations in one
 * transaction on a copy of the staged file, progress on the row, then finishUploadLoad. The load's batch is
 * written to the upload inside the load's transaction, after checking (under the loader's lock) that the upload
 * has none yet: so a worker killed mid-load leaves the database and the upload as they were for the retry, and
 * a retry of a load that did commit only finishes it. A refused or failed load leaves the database as it was
 * (the transaction rolls back) and is recorded in the audit trail as a failed load, after the rollback, so it is
 * never invisible.
 */
export async function runUploadLoad(deps: UploadLoadDependencies, job: JobKinds['upload-load']): Promise<void> {
  const { db, etl, files } = deps;
  const [upload] = await db.select().from(uploads).where(eq(uploads.id, job.uploadId));
  if (upload?.status !== 'loading') return;
  // Loaded by an earlier run that stopped before finishing: only the finish is left.
  if (upload.batchId !== null) return finishUploadLoad(deps, upload, job.confirmedBy, { ok: true, batchId: upload.batchId });
  const preview = previewOf(upload)!;
  const progress = progressWriter(db, upload.id);
  let outcome: UploadLoadOutcome;
  try {
    outcome = await files.read(db, upload, deps.uploadDir, (path) =>
      etl.load(path, upload.options as UploadFormatOptions, {
        loadedBy: job.confirmedBy.subject,
        preview,
        onProgress: progress.report,
        async beforeWrite(session) {
          const [row] = await session.run<{ status: string; batch_id: number | null }>(db.select({ status: uploads.status, batch_id: uploads.batchId }).from(uploads).where(eq(uploads.id, upload.id)));
          if (row?.status !== 'loading' || row.batch_id !== null) throw new LoadOvertaken();
        },
        async afterWrite(session, batchId) {
          await session.run(db.update(uploads).set({ batchId }).where(eq(uploads.id, upload.id)));
        },
      }),
    );
  } catch (error) {
    if (error instanceof LoadOvertaken) return;
    console.error(error);
    outcome = { ok: false, reason: 'the load failed on the server; nothing was loaded', problems: [] };
  }
  await progress.flush();
  await finishUploadLoad(deps, upload, job.confirmedBy, outcome);
}

/**
 * Everything after a load's transaction, wherever the load ran (a worker or the server's own queue): the staged
 * file thrown away, then the upload marked loaded, or failed with its reason and the failure audited. Anything
 * to be done after each load goes here. It may run twice for one load (a worker stopped just after the commit):
 * each step is done once.
 */
export async function finishUploadLoad(deps: UploadLoadDependencies, upload: UploadRow, confirmedBy: Confirmer, outcome: UploadLoadOutcome | { ok: true; batchId: number }): Promise<void> {
  const { db } = deps;
  await deps.files.remove(db, [upload]);
  if (outcome.ok) {
    const total = previewOf(upload)!.rows * 2;
    await moveUpload(db, upload.id, 'loading', { status: 'loaded', batchId: outcome.batchId, progressDone: total, progressTotal: total, finishedAt: new Date() });
  } else {
    // The reason and problems quote the file, so they are made storable as the preview was.
    const { reason, problems } = storable({ reason: outcome.reason, problems: outcome.problems });
    if (await moveUpload(db, upload.id, 'loading', { status: 'failed', error: { reason, problems }, finishedAt: new Date() })) await recordFailedLoad(db, upload, confirmedBy, reason);
  }
}
