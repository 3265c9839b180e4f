import { join } from 'node:path';
import { loadObservations } from '../../etl/load/load-observations';
import { validateFile } from '../../etl/load/validate-file';
import { previewObservations } from '../../etl/preview/preview-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { insertObservationReference, writeObservationCsv } from './etl-load.bench';
import { megabytes, medianSeconds, peakMemory, report } from './measure';

/**
 * The upload preview against the loader's own validation of the same file (its first pass, which the preview
 * shares): what reading the current figures of the revised slices and comparing every row costs on top. The
 * file revises every row of a loaded file of the same size, the worst case for the comparison.
 */
export async function uploadPreviewBench(): Promise<void> {
  const rows = Number(process.env.BENCH_UPLOAD_ROWS ?? 250_000);
  process.env.DATABASE_URL = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
  const files = temporaryFolder();
  const handle = await createTestDatabase();
  try {
    const sql = handle.driver.kind === 'postgres' ? handle.driver.client : undefined;
    if (!sql) throw new Error('the upload benchmark needs PostgreSQL');
    await insertObservationReference(sql, rows);
    const loaded = join(files.folder, 'loaded.csv');
    const revision = join(files.folder, 'revision.csv');
    await writeObservationCsv(loaded, rows);
    await writeObservationCsv(revision, rows, 67890);
    await loadObservations(handle, await openObservationSource(loaded), loaded);

    const validation = await medianSeconds(async () => validateFile(handle.db, await openObservationSource(revision)), 3);
    const preview = await medianSeconds(async () => previewObservations(handle, await openObservationSource(revision), revision), 3);
    const memory = await peakMemory(async () => previewObservations(handle, await openObservationSource(revision), revision));
    if (memory.result.totals.revised + memory.result.totals.unchanged !== rows) throw new Error(`the preview compared ${memory.result.totals.revised + memory.result.totals.unchanged} rows, expected ${rows}`);
    report(`Upload preview of ${rows.toLocaleString('en-GB')} rows revising a loaded file (PostgreSQL, medians of 3)`, [
      { name: 'preview (validation, current slices, comparison)', value: `${preview.toFixed(2)} s`, baseline: `the loader's validation pass ${validation.toFixed(2)} s`, ratio: preview / validation },
      { name: 'preview peak memory', value: megabytes(memory.peakBytes) },
      { name: 'rows revised / unchanged', value: `${memory.result.totals.revised.toLocaleString('en-GB')} / ${memory.result.totals.unchanged.toLocaleString('en-GB')}` },
    ]);
  } finally {
    await handle.close();
    files.remove();
  }
}
