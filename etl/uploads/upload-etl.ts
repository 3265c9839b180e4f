import { basename } from 'node:path';
import type { UploadEtl, UploadLoadRun } from '../../api/upload-etl';
import { withTransaction, type DatabaseHandle, type TransactionSession } from '../../db';
import { fileChecksum } from '../load/file-checksum';
import { loadObservations } from '../load/load-observations';
import { previewObservations, refusedPreview, shownProblems } from '../preview/preview-observations';
import { sliceDigest, type Slice } from '../preview/slices';
import { EtlCommandError, LoadRejectedError, formatProblem } from '../problems';
import type { Progress } from '../progress';
import { detectFormat, openObservationSource } from '../sources/open-source';

const changedFile = 'the staged file changed since its preview; upload it again';
const changedData = 'the figures of its indicators and periods changed since the preview (another load or a rollback); upload the file again for a new preview';

/** The ETL behind the dashboard's uploads: the loader's own validation, preview and load on one database. */
export function createUploadEtl(handle: DatabaseHandle): UploadEtl {
  const slicesOf = (run: UploadLoadRun): Slice[] => run.preview.slices.map((slice) => ({ indicatorId: slice.indicatorId, periodLabel: slice.period }));
  const stale = async (path: string, run: UploadLoadRun, session: TransactionSession) => {
    if ((await fileChecksum(path)) !== run.preview.checksum) return changedFile;
    if ((await sliceDigest(session.query, slicesOf(run))) !== run.preview.sliceDigest) return changedData;
    return undefined;
  };
  return {
    // A file too broken to sniff is read as the generic CSV, whose checks then say what is wrong with it.
    detectFormat: (path) => detectFormat(path).catch(() => 'generic' as const),
    async preview(path, options) {
      try {
        return await previewObservations(handle, await openObservationSource(path, options), path);
      } catch (error) {
        if (error instanceof LoadRejectedError) return refusedPreview(path, basename(path), options.format ?? 'generic', error);
        throw error;
      }
    },
    async staleness(path, preview) {
      return withTransaction(handle, (session) => stale(path, { preview, loadedBy: '', onProgress() {} }, session));
    },
    async load(path, options, run) {
      try {
        const source = await openObservationSource(path, options);
        const result = await loadObservations(handle, source, path, {
          loadedBy: run.loadedBy,
          progress: uploadProgress(run),
          beforeWrite: async (session) => {
            await run.beforeWrite?.(session);
            const reason = await stale(path, run, session);
            if (reason) throw new EtlCommandError(reason);
          },
          afterWrite: run.afterWrite,
        });
        return { ok: true, status: result.status, batchId: result.batchId, rows: result.rows, supersededRows: result.supersededRows, supersededBatchIds: result.supersededBatchIds };
      } catch (error) {
        if (error instanceof LoadRejectedError) return { ok: false, reason: error.problems.map(formatProblem).slice(0, 3).join('; '), problems: shownProblems(error.problems) };
        if (error instanceof EtlCommandError) return { ok: false, reason: error.message, problems: [] };
        throw error;
      }
    },
  };
}

/** The loader's two phases (validating, then writing, each over every row) as one count for the upload's progress bar. */
function uploadProgress(run: UploadLoadRun): Progress {
  const total = run.preview.rows * 2;
  let offset = 0;
  let done = 0;
  return {
    start(phase) {
      offset = phase.startsWith('writing') ? run.preview.rows : 0;
      done = 0;
      run.onProgress(offset, total);
    },
    advance(rows) {
      done += rows;
      run.onProgress(Math.min(total, offset + done), total);
    },
    finish() {
      run.onProgress(Math.min(total, offset + done), total);
    },
  };
}
