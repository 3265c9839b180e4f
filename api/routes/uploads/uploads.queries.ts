import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { and, count, desc, eq, inArray, lt } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { Identity } from '../../auth/identity';
import type { JobStatus } from '../../jobs/job-queue';
import type { UploadPreview } from '../../upload-etl';
import { stagedInFolder, type StagedFiles } from './staged-files';
import { instanceOf, isLiveInstance, removeDeadInstances, stagingArea } from './staging';

const { uploads, loadBatches, observationRevisions } = schema;

export type UploadRow = typeof uploads.$inferSelect;

/** A staged file is kept this long for its review; then it is thrown away unloaded. */
export const uploadLifetimeMs = 24 * 60 * 60 * 1000;
/** A rejected upload's review (its file is removed at once: nothing can load it) is kept this long. */
export const rejectedLifetimeMs = 60 * 60 * 1000;

/** Only the uploader and admins see an upload: anyone else is told it does not exist. */
const visibleTo = (identity: Identity) => (identity.kind !== 'local' && identity.role !== 'admin' ? eq(uploads.userId, identity.userId) : undefined);

export async function findVisibleUpload(db: Database, identity: Identity, id: string): Promise<UploadRow | undefined> {
  const [row] = await db.select().from(uploads).where(and(eq(uploads.id, id), visibleTo(identity)));
  return row;
}

/** The caller's uploads (an admin's: everyone's), newest first. */
export function listVisibleUploads(db: Database, identity: Identity, limit: number) {
  return db.select().from(uploads).where(visibleTo(identity)).orderBy(desc(uploads.createdAt)).limit(limit);
}

/** Moves an upload on from the status it was read in; undefined when another request moved it first. */
export async function moveUpload(db: Database, id: string, from: UploadRow['status'], to: Partial<UploadRow>): Promise<UploadRow | undefined> {
  const [row] = await db.update(uploads).set(to).where(and(eq(uploads.id, id), eq(uploads.status, from))).returning();
  return row;
}

/** Throws away uploads whose review time has run out, their staged files with them. */
export async function expireUploads(db: Database, files: StagedFiles, now = new Date()): Promise<void> {
  const expired = await db
    .update(uploads)
    .set({ status: 'discarded', finishedAt: now })
    .where(and(lt(uploads.expiresAt, now), inArray(uploads.status, ['validated', 'rejected', 'failed'])))
    .returning();
  await files.remove(db, expired);
}

/** A failed load in the audit trail, in the name of who confirmed it (or, when that is not known, its uploader). */
export async function recordFailedLoad(db: Database, upload: UploadRow, by: { userId: number; subject: string }, reason: string): Promise<void> {
  await db.insert(schema.auditEvents).values({ actor: by.subject, userId: by.userId, action: 'load', outcome: 'failure', details: { uploadId: upload.id, file: upload.fileName, checksum: upload.checksum, reason } });
}

/** Who uploaded a file, as the audit trail names them. */
export async function uploaderOf(db: Database, row: UploadRow): Promise<{ userId: number; subject: string }> {
  const [user] = await db.select({ subject: schema.users.subject }).from(schema.users).where(eq(schema.users.id, row.userId));
  return { userId: row.userId, subject: user?.subject ?? 'unknown' };
}

/**
 * What a finished load did, read back from the load history: its rows, and the rows and batches it
 * superseded. When the batch is the one the preview found with the same checksum, the file was already
 * loaded and nothing changed (had another load of it come between, the confirmation would have been stale).
 */
export async function loadResultOf(db: Database, batchId: number, alreadyLoadedBatchId: number | null) {
  const [batch] = await db.select({ rows: loadBatches.rowCount }).from(loadBatches).where(eq(loadBatches.id, batchId));
  if (!batch || batchId === alreadyLoadedBatchId) return { batchId, unchanged: true, rows: batch?.rows ?? 0, supersededRows: 0, supersededBatchIds: [] };
  const [superseded, [revisions]] = await Promise.all([
    db.select({ id: loadBatches.id }).from(loadBatches).where(eq(loadBatches.supersededById, batchId)),
    db.select({ n: count() }).from(observationRevisions).where(eq(observationRevisions.supersededByBatchId, batchId)),
  ]);
  return { batchId, unchanged: false, rows: batch.rows, supersededRows: Number(revisions?.n ?? 0), supersededBatchIds: superseded.map((row) => row.id).sort((a, b) => a - b) };
}

/** An upload whose preview job has not written its preview yet: stored as validated with no preview (upload-preview.ts). */
export const isPreviewing = (row: Pick<UploadRow, 'status' | 'preview'>) => row.status === 'validated' && row.preview === null;

/** An upload's status as the API shows it: `previewing` while its file is checked, else the stored status. */
export const uploadStatusOf = (row: Pick<UploadRow, 'status' | 'preview'>): UploadRow['status'] | 'previewing' => (isPreviewing(row) ? 'previewing' : row.status);

/** The preview the preview job wrote to the row's jsonb column (the schema cannot name the ETL's type). */
export const previewOf = (row: UploadRow) => row.preview as UploadPreview | null;

/** An upload as the API shows it, with its preview job while its file is checked and its load job while it loads: never its path on the server. */
export async function uploadView(db: Database, row: UploadRow, job: JobStatus | null = null) {
  const preview = previewOf(row);
  const status = uploadStatusOf(row);
  return {
    id: row.id,
    fileName: row.fileName,
    format: row.format,
    byteSize: row.byteSize,
    checksum: row.checksum,
    options: row.options,
    status,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    confirmedAt: row.confirmedAt,
    finishedAt: row.finishedAt,
    progress: { done: row.progressDone, total: row.progressTotal },
    job: status === 'loading' || status === 'previewing' ? job : null,
    preview,
    result: row.status === 'loaded' && row.batchId !== null ? await loadResultOf(db, row.batchId, preview?.alreadyLoadedBatchId ?? null) : null,
    error: row.error as { reason: string; problems: UploadPreview['problems'] } | null,
  };
}

/**
 * At the server's start, before it takes requests. Files staged in this machine's folder (the embedded default):
 * uploads whose staging folder no process holds any more (a stopped or crashed server's) are ended. A load cut
 * off by the stop rolled back with its process, so it is marked failed and recorded as a failed load by its
 * uploader, never left "loading" for ever; a review left waiting is expired. Files kept in the database
 * (PostgreSQL): uploads outlive their process, any replica confirms them and the queue runs a cut-off load again,
 * so nothing is ended here. Either way the dead processes' staging folders go (files staged by requests that
 * never finished with them, copies read for a load), and uploads past their time are expired. Another live
 * instance's uploads are left alone.
 */
export async function recoverUploads(db: Database, uploadDir: string, files: StagedFiles = stagedInFolder, now = new Date()): Promise<{ failed: number; expired: number; removedFolders: number }> {
  const area = await stagingArea(uploadDir);
  const reason = 'the server stopped during the load; nothing was loaded';
  const waiting = files.shared ? [] : await db.select().from(uploads).where(inArray(uploads.status, ['validated', 'rejected', 'loading']));
  let failed = 0;
  let expired = 0;
  for (const row of waiting) {
    if (await isLiveInstance(area, instanceOf(row.storedPath))) continue;
    if (row.status === 'loading') {
      if (!(await moveUpload(db, row.id, 'loading', { status: 'failed', error: { reason, problems: [] }, finishedAt: now }))) continue;
      await recordFailedLoad(db, row, await uploaderOf(db, row), reason);
      failed++;
    } else if (await moveUpload(db, row.id, row.status, { status: 'discarded', finishedAt: now })) {
      expired++;
    }
    await rm(dirname(row.storedPath), { recursive: true, force: true });
  }
  const removedFolders = await removeDeadInstances(area);
  await expireUploads(db, files, now);
  return { failed, expired, removedFolders };
}
