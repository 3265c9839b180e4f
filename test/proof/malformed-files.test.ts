import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { malformedFiles, prepareMalformedTarget, tryMalformedFiles } from './malformed-files';

/**
 * Generated malformed files (etl-malformed.test.ts pins one of each by hand; these are many, broken at random
 * rows): every one refused with its problem at the broken row and column, and nothing loaded. `npm run soak`
 * tries thousands.
 */
describeDatabase('generated malformed files are refused whole', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  beforeAll(async () => {
    await prepareMalformedTarget(getDatabase(), files.folder);
  });

  it('refuses each at the broken row and column, and half-loads none', async () => {
    // A new seed each run finds new files; the seed in the message reproduces a failure.
    const seed = Date.now() % 1_000_000;
    const report = await tryMalformedFiles(getDatabase(), files.folder, malformedFiles(120, seed));
    expect(report.misreported, `seed ${seed}`).toEqual([]);
    expect(report.halfLoads, `seed ${seed}`).toEqual([]);
    expect(Object.keys(report.byKind).length).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
