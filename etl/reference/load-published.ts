import type { DatabaseHandle } from '../../db';
import { readOdsFile } from './ods-file';
import { readPracticeMapFile } from './practice-map-file';
import { applyReferenceSnapshot, type SnapshotSummary } from './reference-snapshot';
import { readTrustMapFile } from './trust-map-file';

/** `ods FILE [--as-of]`: a header-less ODS organisation file (etr) as published. */
export async function loadOdsFile(handle: DatabaseHandle, path: string, asOf: string | null): Promise<SnapshotSummary> {
  return applyReferenceSnapshot(handle, await readOdsFile(path, asOf));
}

/** `practices FILE [--as-of]`: a practice → PCN → sub-ICB → ICB → region map, either published layout. */
export async function loadPracticeMapFile(handle: DatabaseHandle, path: string, asOf: string | null): Promise<SnapshotSummary> {
  return applyReferenceSnapshot(handle, await readPracticeMapFile(path, asOf));
}

/** `trust-map FILE --as-of`: a trust → STP lookup. */
export async function loadTrustMapFile(handle: DatabaseHandle, path: string, asOf: string): Promise<SnapshotSummary> {
  return applyReferenceSnapshot(handle, await readTrustMapFile(path, asOf));
}
