import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestDatabase, testDatabaseKind } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { rowsOf, writeBulkObservations, type BulkShape } from './bulk-load';
import { describeFault } from './describe-fault';
import { killLoaderMidCopy, prepareKillTarget, type KillTarget } from './loader-kill';

/**
 * SIGKILL to the ETL CLI half-way through its COPY, after it has already moved the revised slice into
 * observation_revisions: one transaction means the database is exactly as before, and the same file then
 * loads in full. `npm run soak` kills larger loads at several points.
 */

async function expectKillLeavesNothing(target: KillTarget, folder: string, shape: BulkShape) {
  const firstBatchRows = await prepareKillTarget(target, shape, folder);
  const file = join(folder, 'bulk.csv');
  await writeBulkObservations(file, shape, { fraction: 0.1 });
  const result = await killLoaderMidCopy(target, file, shape, 0.5);
  expect(result.signal).toBe('SIGKILL');
  expect(result.after).toEqual(result.before);
  expect(result.reloadedRows).toBe(rowsOf(shape));
  expect(result.revisedRows).toBe(firstBatchRows);
}

describeFault('loader killed mid-COPY', { privateCluster: false }, () => {
  it('leaves the PostgreSQL database exactly as before', async () => {
    const files = temporaryFolder();
    const handle = await createTestDatabase();
    try {
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${handle.name}`;
      await expectKillLeavesNothing({ kind: 'postgres', url: url.toString(), handle }, files.folder, { indicators: 10, periods: 10, organisations: 1000 });
    } finally {
      await handle.close();
      files.remove();
    }
  }, 180_000);
});

// PGlite is one process's database: the loader owns the data folder while it runs, and the check reopens it
// afterwards, so PostgreSQL's WAL recovery inside PGlite is what is being tested. Run in the PGlite pass only.
(testDatabaseKind === 'pglite' ? describe : describe.skip)('loader killed mid-COPY [pglite, file-backed]', () => {
  it('leaves the PGlite data folder exactly as before', async () => {
    const files = temporaryFolder();
    try {
      // Smaller than on PostgreSQL: the file-backed PGlite loads and reopens slowly.
      await expectKillLeavesNothing({ kind: 'pglite', dataDir: join(files.folder, 'pglite') }, files.folder, { indicators: 5, periods: 4, organisations: 1000 });
    } finally {
      files.remove();
    }
  }, 300_000);
});
