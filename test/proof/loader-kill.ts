import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { createDatabase, migrateDatabase, queryRows, type DatabaseHandle } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { databaseFingerprint } from '../support/fingerprint';
import { rowsOf, seedBulkReference, spawnLoader, writeBulkObservations, type BulkShape } from './bulk-load';

/**
 * The loader killed with SIGKILL in the middle of its COPY, after it has already moved the slice it revises
 * into observation_revisions: the database must be exactly as before (same fingerprint), and the same file
 * must then load in full (no lock or half-written row left behind).
 */

/** Where the database is: a PostgreSQL database by URL, or a PGlite data folder (opened only when the loader is not). */
export type KillTarget = { kind: 'postgres'; url: string; handle: DatabaseHandle } | { kind: 'pglite'; dataDir: string };

export interface KillResult {
  /** How far the COPY had gone when killed: rows on PostgreSQL, bytes written to the data folder on PGlite. */
  progressAtKill: string;
  signal: NodeJS.Signals | null;
  unchanged: boolean;
  before: Record<string, string>;
  after: Record<string, string>;
  /** Rows the same file then loaded, and rows of the earlier slice it revised. */
  reloadedRows: number;
  revisedRows: number;
}

async function openTarget(target: KillTarget): Promise<{ handle: DatabaseHandle; close(): Promise<void> }> {
  if (target.kind === 'postgres') return { handle: target.handle, close: async () => {} };
  const handle = await createDatabase({ dataDir: target.dataDir });
  return { handle, close: () => handle.close() };
}

/** Reference rows and a first batch (period 0 of every indicator) that the killed load will revise. */
export async function prepareKillTarget(target: KillTarget, shape: BulkShape, folder: string): Promise<number> {
  const { handle, close } = await openTarget(target);
  try {
    await migrateDatabase(handle);
    await seedBulkReference(handle.db, shape);
    const first = join(folder, 'first-batch.csv');
    const rows = await writeBulkObservations(first, { ...shape, periods: 1 }, { fraction: 0.05, seed: 7 });
    await loadObservations(handle, await openObservationSource(first), first);
    return rows;
  } finally {
    await close();
  }
}

/** Bytes under a folder; the loader's PGlite creates and removes files meanwhile, so a vanished one counts 0. */
const folderBytes = (path: string): number => {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.size;
  return readdirSync(path).reduce((total, name) => total + folderBytes(join(path, name)), 0);
};

/** Rows COPY has taken so far in this database, from PostgreSQL's own progress view. */
async function copiedRows(handle: DatabaseHandle): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    handle.db,
    sql`select coalesce(max(tuples_processed), 0) as n from pg_stat_progress_copy where datname = current_database()`,
  );
  return Number(row.n);
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Spawns the CLI on `file`, kills it once its COPY is `fraction` of the way through, and checks the database.
 * On PGlite the COPY's progress is read from the data folder's growth (about 400 bytes a row), since nothing
 * else may open the database while the loader has it.
 */
export async function killLoaderMidCopy(target: KillTarget, file: string, shape: BulkShape, fraction: number): Promise<KillResult> {
  const rows = rowsOf(shape);
  let { handle, close } = await openTarget(target);
  const before = await databaseFingerprint(handle.db);
  await close();

  const startBytes = target.kind === 'pglite' ? folderBytes(target.dataDir) : 0;
  const loader = spawnLoader(file, target.kind === 'postgres' ? { url: target.url } : { dataDir: target.dataDir });
  let finished = false;
  void loader.exited.then(() => (finished = true));
  let progressAtKill = '';
  while (!finished) {
    if (target.kind === 'postgres') {
      const copied = await copiedRows(target.handle);
      if (copied >= fraction * rows) {
        progressAtKill = `${copied.toLocaleString('en-GB')} of ${rows.toLocaleString('en-GB')} rows copied`;
        break;
      }
    } else {
      const grown = folderBytes(target.dataDir) - startBytes;
      if (grown >= fraction * rows * 400) {
        progressAtKill = `${(grown / 1e6).toFixed(1)} MB of the COPY written`;
        break;
      }
    }
    await pause(10);
  }
  loader.child.kill('SIGKILL');
  const exit = await loader.exited;
  if (exit.signal !== 'SIGKILL') throw new Error(`the loader finished before it could be killed (exit ${exit.code}): ${exit.output}`);

  ({ handle, close } = await openTarget(target));
  try {
    const after = await databaseFingerprint(handle.db);
    const reloaded = await loadObservations(handle, await openObservationSource(file), file);
    return {
      progressAtKill,
      signal: exit.signal,
      unchanged: JSON.stringify(after) === JSON.stringify(before),
      before,
      after,
      reloadedRows: reloaded.rows,
      revisedRows: reloaded.supersededRows,
    };
  } finally {
    await close();
  }
}
