import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { eq } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import type { Identity } from '../../auth/identity';
import type { UploadEtl, UploadFormatOptions } from '../../upload-etl';
import { storable } from './storable';
import { moveUpload, previewOf, type UploadRow } from './uploads.queries';

const { uploads } = schema;

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
      .where(eq(uploads.id, id))
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

/**
 * The confirmed load, run after the 202 has gone: the ETL's loadObservations in one transaction, progress
 * on the row, then the outcome. A refused or failed load leaves the database as it was (the transaction rolls
 * back) and is recorded in the audit trail as a failed load, after the rollback, so it is never invisible.
 */
export async function runUploadLoad(db: Database, etl: UploadEtl, identity: Identity & { kind: 'token' | 'session' }, upload: UploadRow): Promise<void> {
  const preview = previewOf(upload)!;
  const progress = progressWriter(db, upload.id);
  let outcome: Awaited<ReturnType<UploadEtl['load']>>;
  try {
    outcome = await etl.load(upload.storedPath, upload.options as UploadFormatOptions, { loadedBy: identity.subject, preview, onProgress: progress.report });
  } catch (error) {
    console.error(error);
    outcome = { ok: false, reason: 'the load failed on the server; nothing was loaded', problems: [] };
  }
  await progress.flush();
  const finishedAt = new Date();
  if (outcome.ok) {
    await moveUpload(db, upload.id, 'loading', { status: 'loaded', batchId: outcome.batchId, finishedAt, progressDone: preview.rows * 2, progressTotal: preview.rows * 2 });
  } else {
    // The reason and problems quote the file, so they are made storable as the preview was.
    const { reason, problems } = storable({ reason: outcome.reason, problems: outcome.problems });
    await moveUpload(db, upload.id, 'loading', { status: 'failed', error: { reason, problems }, finishedAt });
    await recordAudit(db, identity, {
      action: 'load',
      outcome: 'failure',
      details: { uploadId: upload.id, file: upload.fileName, checksum: upload.checksum, reason },
    });
  }
  await rm(dirname(upload.storedPath), { recursive: true, force: true });
}
