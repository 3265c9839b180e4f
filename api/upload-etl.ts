import type { TransactionSession } from '../db';
import type { ObservationPreview } from '../etl/preview/preview-observations';
import type { LoadProblem } from '../etl/problems';

/**
 * What the upload routes need of the ETL, injected through createApp (web/serve.ts passes
 * etl/uploads/upload-etl.ts), so no route imports the loader: the preview of a staged file, a check that
 * the preview still holds, and the load itself. Only the preview's type is shared with the ETL.
 */
export type UploadPreview = ObservationPreview;
export type UploadProblem = LoadProblem;

export const uploadFormats = ['generic', 'fingertips', 'shmi', 'cwt', 'ae', 'age-bands', 'arrow', 'parquet'] as const;

export interface UploadFormatOptions {
  /** Detected from the file as the ETL does when absent. */
  format?: (typeof uploadFormats)[number];
  /** SHMI files: our indicator code (default SHMI); SHMI and CWT files: the period when the file has none. */
  indicator?: string;
  period?: string;
}

export interface UploadLoadRun {
  loadedBy: string;
  /** The preview confirmed: the load refuses to run if the file or its slices have changed since. */
  preview: UploadPreview;
  /** Rows done of the total, validation and writing together. */
  onProgress(done: number, total: number): void;
  /** In the load's transaction, under the loader's lock, before anything is written: throwing abandons the load. */
  beforeWrite?(session: TransactionSession): Promise<void>;
  /** In the load's transaction once its batch is written, before it commits: so the upload's status commits with it. */
  afterWrite?(session: TransactionSession, batchId: number): Promise<void>;
}

export type UploadLoadOutcome =
  | { ok: true; status: 'loaded' | 'unchanged'; batchId: number; rows: number; supersededRows: number; supersededBatchIds: number[] }
  | { ok: false; reason: string; problems: UploadProblem[] };

export interface UploadEtl {
  detectFormat(path: string): Promise<NonNullable<UploadFormatOptions['format']>>;
  preview(path: string, options: UploadFormatOptions): Promise<UploadPreview>;
  /** Why the preview no longer describes the file or the database, or undefined while it does. */
  staleness(path: string, preview: UploadPreview): Promise<string | undefined>;
  /** Loads in one transaction; a refusal (the loader's own, or a stale preview) is an outcome, anything else throws. */
  load(path: string, options: UploadFormatOptions, run: UploadLoadRun): Promise<UploadLoadOutcome>;
}
