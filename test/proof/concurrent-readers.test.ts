import { expect, it } from 'vitest';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { readersDuringLoad } from './concurrent-readers';
import { describeFault } from './describe-fault';

/**
 * 20 readers on the API while the ETL CLI loads 100,000 rows that revise and extend what they read: no reader
 * error, and no read ever sees part of the batch. `npm run soak` does it with 1,000,000 rows and 50 readers.
 */
describeFault('readers during a large load', { privateCluster: false }, () => {
  it('see the data before the batch or after it, never part of it', async () => {
    const files = temporaryFolder();
    const handle = await createTestDatabase();
    try {
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${handle.name}`;
      const result = await readersDuringLoad(handle, url.toString(), { indicators: 10, periods: 10, organisations: 1000 }, { readers: 20, folder: files.folder });
      expect(result.errors).toEqual([]);
      expect(result.inconsistent).toEqual([]);
      // The readers straddled the commit: some saw the old state, and all reads made after it saw the new one.
      expect(result.sawBefore).toBeGreaterThan(0);
      expect(result.sawAfter).toBeGreaterThanOrEqual(80);
    } finally {
      await handle.close();
      files.remove();
    }
  }, 300_000);
});
