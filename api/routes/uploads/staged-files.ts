import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { and, asc, eq, inArray } from 'drizzle-orm';
import { schema, type Database, type DatabaseKind } from '../../../db';
import { stagingArea } from './staging';
import type { UploadRow } from './uploads.queries';

const { uploadChunks } = schema;

/** Bytes per stored piece: small enough for one parameter, large enough that a 100 MiB file is 100 rows. */
const chunkBytes = 1024 * 1024;

/**
 * Where a previewed upload's file waits for its confirmation, and how a process gets it back to read it.
 * Embedded (PGlite, one process): the staged file itself, in this process's staging folder. PostgreSQL: the
 * bytes in upload_chunks, so that any replica can confirm and any worker load it; a process that reads the
 * file writes a copy into its own staging folder for the time it needs it.
 */
export interface StagedFiles {
  /** Whether a staged file outlives the process that staged it (it does in the database). */
  shared: boolean;
  /** Keeps the previewed file at storedPath for its confirmation, writing db in one transaction with insertRow. */
  keep(db: Database, storedPath: string, insertRow: (db: Database) => Promise<UploadRow>): Promise<UploadRow>;
  /** Runs read with a path to the upload's file on this machine, removed afterwards unless it is the staged file itself. */
  read<T>(db: Database, row: UploadRow, uploadDir: string, read: (path: string) => Promise<T>): Promise<T>;
  /** Throws the files of these uploads away, wherever they are kept. */
  remove(db: Database, rows: UploadRow[]): Promise<void>;
}

const removeFolders = (rows: UploadRow[]) => Promise.all(rows.map((row) => rm(dirname(row.storedPath), { recursive: true, force: true })));

/** The embedded default's: the file stays where it was staged. */
export const stagedInFolder: StagedFiles = {
  shared: false,
  keep: (db, _path, insertRow) => insertRow(db),
  read: (_db, row, _dir, read) => read(row.storedPath),
  remove: async (_db, rows) => {
    await removeFolders(rows);
  },
};

/** PostgreSQL's: the file in upload_chunks, written with the upload's row; the staged copy is removed. */
export const stagedInDatabase: StagedFiles = {
  shared: true,
  async keep(db, storedPath, insertRow) {
    const row = await db.transaction(async (tx) => {
      const inserted = await insertRow(tx as unknown as Database);
      let seq = 0;
      // One piece at a time: a 100 MiB file never sits in memory whole.
      for await (const piece of createReadStream(storedPath, { highWaterMark: chunkBytes })) {
        await tx.insert(uploadChunks).values({ uploadId: inserted.id, seq: seq++, bytes: piece as Buffer });
      }
      return inserted;
    });
    await rm(dirname(storedPath), { recursive: true, force: true });
    return row;
  },
  async read(db, row, uploadDir, read) {
    const area = await stagingArea(uploadDir);
    // A folder of each reader's own: the confirmation and the load may read one upload at once.
    const path = join(area.folder, `${row.id}.${randomBytes(6).toString('base64url')}`, row.fileName);
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    try {
      await pipeline(chunksOf(db, row.id), createWriteStream(path, { mode: 0o600 }));
      return await read(path);
    } finally {
      await rm(dirname(path), { recursive: true, force: true });
    }
  },
  async remove(db, rows) {
    if (rows.length > 0) await db.delete(uploadChunks).where(inArray(uploadChunks.uploadId, rows.map((row) => row.id)));
    await removeFolders(rows);
  },
};

/** The stored pieces in order, read one at a time. */
async function* chunksOf(db: Database, uploadId: string): AsyncIterable<Buffer> {
  const pieces = await db.select({ seq: uploadChunks.seq }).from(uploadChunks).where(eq(uploadChunks.uploadId, uploadId)).orderBy(asc(uploadChunks.seq));
  for (const { seq } of pieces) {
    const [piece] = await db.select({ bytes: uploadChunks.bytes }).from(uploadChunks).where(and(eq(uploadChunks.uploadId, uploadId), eq(uploadChunks.seq, seq)));
    yield piece.bytes;
  }
}

export const stagedFilesFor = (kind: DatabaseKind): StagedFiles => (kind === 'postgres' ? stagedInDatabase : stagedInFolder);
