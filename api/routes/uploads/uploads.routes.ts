import { rm } from 'node:fs/promises';
import { eq } from 'drizzle-orm';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { schema } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import { actorOf } from '../../auth/identity';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import type { ApiConfig, AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { QueueFullError, type JobStatus } from '../../jobs/job-queue';
import { rateLimit } from '../../rate-limit';
import type { UploadFormatOptions } from '../../upload-etl';
import { validate } from '../../validation';
import { stagedFilesFor } from './staged-files';
import { stagedChecksum, stageUpload, stagingArea } from './staging';
import { failPreview } from './upload-preview';
import { storable } from './storable';
import { uploadId, uploadList, uploadOptions } from './uploads.schemas';
import { expireUploads, findVisibleUpload, isPreviewing, listVisibleUploads, moveUpload, previewOf, recordFailedLoad, uploadLifetimeMs, uploadStatusOf, uploadView, uploaderOf, type UploadRow } from './uploads.queries';

function etlOf(c: Context<AppEnv>) {
  const { uploadEtl } = c.var.deps;
  if (!uploadEtl) throw new ApiError(503, 'uploads_unavailable', 'This server takes no uploads');
  return uploadEtl;
}

/** Someone else's upload answers exactly as an unknown id does. */
async function visibleUpload(c: Context<AppEnv>, id: string): Promise<UploadRow> {
  const row = await findVisibleUpload(c.var.deps.db, signedInIdentity(c), id);
  if (!row) throw new ApiError(404, 'not_found', `No upload with id ${id}`, 'id');
  return row;
}

const filesOf = (c: Context<AppEnv>) => stagedFilesFor(c.var.deps.databaseKind);

function jobsOf(c: Context<AppEnv>) {
  const { jobs } = c.var.deps;
  if (!jobs) throw new ApiError(503, 'uploads_unavailable', 'This server takes no uploads');
  return jobs;
}

/** A queue's refusal as a 429 with Retry-After: `work` is what waits, in the client's words. */
async function queueRoom<T>(c: Context<AppEnv>, work: 'checks' | 'loads', ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (error) {
    if (!(error instanceof QueueFullError)) throw error;
    c.header('retry-after', String(error.retryAfterSeconds));
    throw new ApiError(429, 'queue_full', `Too many ${work} are waiting (${error.waiting}); ${work === 'loads' ? 'confirm' : 'upload'} again in ${error.retryAfterSeconds} s`);
  }
}

const abandonedLoad = 'the load stopped (its worker was stopped or failed) too often; nothing was loaded';
const abandonedPreview = 'the check of the file stopped (its worker was stopped or failed) too often; upload the file again';

/**
 * The upload's job as it stands: its preview job while its file is checked, its load job while it loads. A job
 * the queue has given up on (its workers died with it every time, or its handler threw) ends its upload here, so
 * an upload is never left previewing or loading for ever: failed and audited, or loaded if its load had committed.
 */
async function jobOf(c: Context<AppEnv>, row: UploadRow): Promise<{ row: UploadRow; job: JobStatus | null }> {
  const { db, jobs } = c.var.deps;
  if (row.loadJobId === null || !jobs) return { row, job: null };
  if (isPreviewing(row)) {
    const job = (await jobs.status('upload-preview', row.loadJobId)) ?? null;
    if (job?.state !== 'failed') return { row, job };
    const failed = await failPreview({ db, files: filesOf(c) }, row, await uploaderActor(c, row), abandonedPreview);
    return { row: failed ?? (await findVisibleUpload(db, signedInIdentity(c), row.id)) ?? row, job };
  }
  if (row.status !== 'loading') return { row, job: null };
  const job = (await jobs.status('upload-load', row.loadJobId)) ?? null;
  if (job?.state !== 'failed') return { row, job };
  if (row.batchId !== null) {
    // Its load committed (the batch is written in the load's transaction); only the finish after it was lost.
    const loaded = await moveUpload(db, row.id, 'loading', { status: 'loaded', finishedAt: new Date() });
    await filesOf(c).remove(db, [row]);
    return { row: loaded ?? row, job };
  }
  const failed = await moveUpload(db, row.id, 'loading', { status: 'failed', error: { reason: abandonedLoad, problems: [] }, finishedAt: new Date() });
  if (!failed) return { row: (await findVisibleUpload(db, signedInIdentity(c), row.id)) ?? row, job };
  await recordFailedLoad(db, row, await uploaderOf(db, row), abandonedLoad);
  await filesOf(c).remove(db, [row]);
  return { row: failed, job };
}

/** The uploader as the audit trail names them, for a failure found by someone else (an admin). */
async function uploaderActor(c: Context<AppEnv>, row: UploadRow) {
  const { userId, subject } = await uploaderOf(c.var.deps.db, row);
  return { actor: subject, userId };
}

const refusedConfirmation: Partial<Record<UploadRow['status'], string>> = {
  rejected: 'The file has problems, so it cannot be loaded; correct it and upload it again',
  loading: 'The upload is already confirmed and loading',
  loaded: 'The upload is already loaded',
  failed: 'This upload failed; upload the file again',
  discarded: 'The upload was discarded or expired; upload the file again',
};

const fileBody = {
  required: true,
  content: {
    'multipart/form-data': {
      schema: { type: 'object' as const, properties: { file: { type: 'string' as const, format: 'binary' }, format: { type: 'string' as const }, indicator: { type: 'string' as const }, period: { type: 'string' as const } }, required: ['file'] },
    },
    'application/octet-stream': { schema: { type: 'string' as const, format: 'binary' } },
  },
};

/**
 * Uploads with review (analysts and admins): a file is staged, then previewed with the loader's own checks by a
 * job (api/jobs, upload-preview.ts), then, when its uploader confirms, loaded in one transaction by another job, or thrown away. Rate-limited per user, with a
 * body cap of its own (config.uploadMaxBytes); every step is in the audit trail.
 */
export function uploadRoutes(config: ApiConfig) {
  const perUser = rateLimit({ ...config.uploadRateLimit, key: (c) => `user:${signedInIdentity(c).userId}` });
  return new Hono<AppEnv>()
    .post(
      '/',
      describeRoute({
        tags: ['Uploads'],
        summary: 'Stage an observation file and queue its preview (problems by row; new, revised, unchanged and withdrawn rows per indicator and period): 202 with the upload `previewing`, its preview job and place in the queue; poll the upload. 429 with Retry-After when the queue is full',
        description: 'The file as the raw body (its name in `name` or X-File-Name) or as a multipart form field `file`. A browser form is answered with a redirect to its review page, which follows the preview.',
        requestBody: fileBody,
      }),
      formRefusalsTo(() => '/uploads'),
      requireRole('analyst'),
      perUser,
      validate('query', uploadOptions),
      async (c) => {
        const { db, config } = c.var.deps;
        const identity = signedInIdentity(c);
        etlOf(c);
        const jobs = jobsOf(c);
        const files = filesOf(c);
        await expireUploads(db, files);
        // Refused before the body is read: a full queue is told at once, not after 100 MiB.
        await queueRoom(c, 'checks', () => jobs.checkRoom('upload-preview'));
        const query = c.req.valid('query');
        const headerName = c.req.header('x-file-name');
        const area = await stagingArea(config.uploadDir).catch((error: unknown) => {
          console.error(error);
          throw new ApiError(503, 'uploads_unavailable', 'Uploads cannot be staged on this server now');
        });
        const staged = await stageUpload(c.req.raw, { dir: area.folder, maxBytes: config.uploadMaxBytes, rawName: query.name ?? (headerName && decodeName(headerName)) });
        let row: UploadRow;
        try {
          const asked = { ...query, ...formFields(staged.fields) };
          const options: UploadFormatOptions = { format: asked.format === 'auto' ? undefined : asked.format, indicator: asked.indicator || undefined, period: asked.period || undefined };
          const checksum = await stagedChecksum(staged.path);
          const now = new Date();
          row = await files.keep(db, staged.path, async (into) => {
            const [inserted] = await into
              .insert(schema.uploads)
              .values({
                id: staged.id,
                userId: identity.userId,
                fileName: staged.fileName,
                // `auto` until its preview job has detected it.
                format: options.format ?? 'auto',
                byteSize: staged.byteSize,
                checksum,
                storedPath: staged.path,
                options: storable({ ...options }),
                // Validated with no preview: its preview job is queued (isPreviewing).
                status: 'validated',
                createdAt: now,
                expiresAt: new Date(now.getTime() + uploadLifetimeMs),
              })
              .returning();
            return inserted;
          });
        } catch (error) {
          await rm(staged.folder, { recursive: true, force: true });
          throw error;
        }
        let job: JobStatus;
        try {
          job = await queueRoom(c, 'checks', () => jobs.enqueue('upload-preview', { uploadId: row.id, uploadedBy: actorOf(identity) }));
        } catch (error) {
          // Refused after all (the queue filled while the body came in): nothing is kept.
          await files.remove(db, [row]);
          await db.delete(schema.uploads).where(eq(schema.uploads.id, row.id));
          throw error;
        }
        const queued = (await db.update(schema.uploads).set({ loadJobId: job.id }).where(eq(schema.uploads.id, row.id)).returning())[0] ?? row;
        // The dashboard's plain form (no script) lands on the review page, which follows the preview.
        if (isFormPost(c)) return c.redirect(`/uploads/${row.id}`, 303);
        c.header('location', `/api/uploads/${row.id}`);
        return c.json(await uploadView(db, queued, isPreviewing(queued) ? job : null), 202);
      },
    )
    .get('/', describeRoute({ tags: ['Uploads'], summary: 'Your recent uploads, newest first (an admin: everyone’s)' }), requireRole('analyst'), validate('query', uploadList), async (c) => {
      const { db } = c.var.deps;
      await expireUploads(db, filesOf(c));
      const rows = await listVisibleUploads(db, signedInIdentity(c), c.req.valid('query').limit);
      return c.json({
        uploads: rows.map((row) => ({
          id: row.id,
          fileName: row.fileName,
          format: row.format,
          byteSize: row.byteSize,
          status: uploadStatusOf(row),
          createdAt: row.createdAt,
          finishedAt: row.finishedAt,
          rows: previewOf(row)?.rows ?? 0,
          problemCount: previewOf(row)?.problemCount ?? 0,
        })),
      });
    })
    .get(
      '/:id',
      describeRoute({ tags: ['Uploads'], summary: 'An upload: status, preview, its preview or load job (queued with its place in the queue, or running) with a load\'s progress and, when done, its result or the reason it failed' }),
      requireRole('analyst'),
      validate('param', uploadId),
      async (c) => {
        const { row, job } = await jobOf(c, await visibleUpload(c, c.req.valid('param').id));
        return c.json(await uploadView(c.var.deps.db, row, job));
      },
    )
    .post(
      '/:id/confirm',
      describeRoute({
        tags: ['Uploads'],
        summary: 'Confirm a previewed upload: 202 with its load job (id, queued, place in the queue); poll the upload for its progress and outcome. 429 with Retry-After when the queue is full',
      }),
      formRefusalsTo(reviewPage),
      requireRole('analyst'),
      validate('param', uploadId),
      async (c) => {
        const { db, config } = c.var.deps;
        const identity = signedInIdentity(c);
        const etl = etlOf(c);
        const jobs = jobsOf(c);
        const upload = await visibleUpload(c, c.req.valid('param').id);
        if (isPreviewing(upload)) throw new ApiError(409, 'upload_previewing', 'The file is still being checked; confirm it once its preview is shown');
        const refusal = refusedConfirmation[upload.status];
        if (refusal) throw new ApiError(409, upload.status === 'rejected' ? 'upload_rejected' : 'upload_not_pending', refusal);
        const stale = await filesOf(c).read(db, upload, config.uploadDir, (path) => etl.staleness(path, previewOf(upload)!));
        if (stale) throw new ApiError(409, 'stale_preview', `The preview is out of date: ${stale}`);
        // Claimed before it is queued: a worker taking the job at once finds it loading.
        const claimed = await moveUpload(db, upload.id, 'validated', { status: 'loading', confirmedAt: new Date(), progressDone: 0 });
        if (!claimed) throw new ApiError(409, 'upload_not_pending', 'The upload is already confirmed and loading');
        let job: JobStatus;
        try {
          job = await queueRoom(c, 'loads', () => jobs.enqueue('upload-load', { uploadId: upload.id, confirmedBy: { userId: identity.userId, subject: identity.subject } }));
        } catch (error) {
          await moveUpload(db, upload.id, 'loading', { status: 'validated', confirmedAt: null });
          throw error;
        }
        const queued = (await moveUpload(db, upload.id, 'loading', { loadJobId: job.id })) ?? (await visibleUpload(c, upload.id));
        if (isFormPost(c)) return c.redirect(reviewPage(c), 303);
        c.header('location', `/api/uploads/${upload.id}`);
        return c.json(await uploadView(db, queued, job), 202);
      },
    )
    .delete('/:id', describeRoute({ tags: ['Uploads'], summary: 'Discard an upload that is not loaded, deleting its staged file' }), requireRole('analyst'), validate('param', uploadId), async (c) =>
      c.json(await discard(c, c.req.valid('param').id)),
    )
    .post(
      '/:id/discard',
      describeRoute({ tags: ['Uploads'], summary: 'Discard an upload, as DELETE /api/uploads/{id} does, for an HTML form (which cannot send DELETE)' }),
      formRefusalsTo(reviewPage),
      requireRole('analyst'),
      validate('param', uploadId),
      async (c) => {
        const discarded = await discard(c, c.req.valid('param').id);
        return isFormPost(c) ? c.redirect('/uploads', 303) : c.json(discarded);
      },
    );
}

/** Throws an upload away unless it is loading or loaded, with its staged file, and records who did. */
async function discard(c: Context<AppEnv>, id: string) {
  const { db } = c.var.deps;
  const upload = await visibleUpload(c, id);
  if (upload.status === 'loading' || upload.status === 'loaded') throw new ApiError(409, 'upload_not_pending', `The upload is ${upload.status}, so there is nothing to discard`);
  const discarded = await moveUpload(db, upload.id, upload.status, { status: 'discarded', finishedAt: new Date() });
  if (!discarded) throw new ApiError(409, 'upload_not_pending', 'The upload changed while it was being discarded; look again');
  await filesOf(c).remove(db, [upload]);
  await recordAudit(db, signedInIdentity(c), { action: 'upload_discarded', details: { uploadId: upload.id, file: upload.fileName, checksum: upload.checksum } });
  return { id: upload.id, status: discarded.status };
}

/** The options a multipart form sent beside its file, checked as the query string is. */
function formFields(fields: Record<string, string>) {
  const parsed = uploadOptions.safeParse(fields);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const parameter = String(issue.path[0]);
  throw new ApiError(400, 'invalid_parameter', `${parameter}: ${issue.message}`, parameter);
}

const reviewPage = (c: Context<AppEnv>) => `/uploads/${encodeURIComponent(c.req.param('id') ?? '')}`;

/** X-File-Name may be percent-encoded to carry any name in a header. */
function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}
