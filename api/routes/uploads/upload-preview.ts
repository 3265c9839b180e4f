import { and, eq, isNull } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { JobKinds } from '../../jobs/job-queue';
import type { UploadEtl, UploadFormatOptions, UploadPreview } from '../../upload-etl';
import type { StagedFiles } from './staged-files';
import { storable } from './storable';
import { isPreviewing, rejectedLifetimeMs, uploadLifetimeMs, type UploadRow } from './uploads.queries';

const { uploads } = schema;

/** What a preview job needs: the database, the ETL, where the staged file is kept and this process's staging folder. */
export interface UploadPreviewDependencies {
  db: Database;
  etl: UploadEtl;
  files: StagedFiles;
  uploadDir: string;
}

type Uploader = JobKinds['upload-preview']['uploadedBy'];

export const failedPreviewReason = 'the file could not be checked on the server; nothing was loaded';

/**
 * A preview job (api/jobs), run by a worker process or in the server's own queue: the staged file's format
 * detected when it was not chosen, then the ETL's preview (the loader's own checks and the comparison with the
 * current figures), written to the upload row: rejected when it has problems (its file thrown away at once, its
 * review kept an hour), else validated and ready to confirm for 24 hours. The row is moved on only while it still
 * has no preview, so a retry of a job whose worker died, or a job for an upload discarded meanwhile, does
 * nothing twice. The upload is recorded in the audit trail in its uploader's name once its preview is written.
 */
export async function runUploadPreview(deps: UploadPreviewDependencies, job: JobKinds['upload-preview']): Promise<void> {
  const { db, etl, files } = deps;
  const [upload] = await db.select().from(uploads).where(eq(uploads.id, job.uploadId));
  if (!upload || !isPreviewing(upload)) return;
  const asked = upload.options as UploadFormatOptions;
  let checked: { format: NonNullable<UploadFormatOptions['format']>; options: UploadFormatOptions; preview: UploadPreview };
  try {
    checked = await files.read(db, upload, deps.uploadDir, async (path) => {
      const format = asked.format ?? (await etl.detectFormat(path));
      const options: UploadFormatOptions = { ...asked, format };
      return { format, options, preview: await etl.preview(path, options) };
    });
  } catch (error) {
    console.error(error);
    await failPreview(deps, upload, job.uploadedBy, failedPreviewReason);
    return;
  }
  const { format, options, preview } = checked;
  const rejected = preview.problemCount > 0;
  const now = new Date();
  // The preview, a rejected file's removal and the audit event together: a poll that sees the preview sees the rest.
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(uploads)
      .set({
        format,
        // The preview quotes the file (problems' values, samples): made storable, or a NUL in a cell is a 500 on PostgreSQL.
        options: storable({ ...options }),
        checksum: preview.checksum,
        status: rejected ? 'rejected' : 'validated',
        preview: storable({ ...preview }),
        progressTotal: preview.rows * 2,
        expiresAt: new Date(now.getTime() + (rejected ? rejectedLifetimeMs : uploadLifetimeMs)),
      })
      .where(and(eq(uploads.id, upload.id), eq(uploads.status, 'validated'), isNull(uploads.preview)))
      .returning();
    // Discarded meanwhile, or previewed by another run of the job: nothing to do.
    if (!row) return;
    // Nothing can load a rejected file, so it is not kept; its review is, for an hour.
    if (rejected) await files.remove(tx as unknown as Database, [row]);
    await tx.insert(schema.auditEvents).values({
      ...job.uploadedBy,
      action: 'upload',
      details: { uploadId: row.id, file: row.fileName, format, bytes: row.byteSize, checksum: preview.checksum, rows: preview.rows, problems: preview.problemCount, status: row.status },
    });
  });
}

/** Ends an upload whose preview could not be made: failed with the reason, its file thrown away, audited as a failed upload. */
export async function failPreview(deps: Pick<UploadPreviewDependencies, 'db' | 'files'>, upload: UploadRow, uploadedBy: Uploader, reason: string): Promise<UploadRow | undefined> {
  const { db } = deps;
  const failed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(uploads)
      .set({ status: 'failed', error: { reason, problems: [] }, finishedAt: new Date() })
      .where(and(eq(uploads.id, upload.id), eq(uploads.status, 'validated'), isNull(uploads.preview)))
      .returning();
    if (row) await tx.insert(schema.auditEvents).values({ ...uploadedBy, action: 'upload', outcome: 'failure', details: { uploadId: upload.id, file: upload.fileName, bytes: upload.byteSize, reason } });
    return row;
  });
  if (!failed) return undefined;
  await deps.files.remove(db, [failed]);
  return failed;
}
