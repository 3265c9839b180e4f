import { parquetWriteBuffer } from 'hyparquet-writer';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { formatProblem, LoadRejectedError } from '../../etl/problems';
import { openObservationSource } from '../../etl/sources/open-source';
import { writeBombs, type Bomb } from '../support/bombs';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

/**
 * Files built to exhaust the loader: a 4 KB Parquet file of 4,000,000 dictionary-encoded rows, Arrow
 * streams whose batches declare 50,000,000 rows or a terabyte body, a CSV with a 100 MB field, a zip named
 * .parquet. Before the caps, the Parquet file held the loader 99 s and larger ones ran it out of heap. Each
 * must be refused within seconds, its memory growth bounded, and nothing loaded.
 */
describeDatabase('the loader refuses input bombs quickly in bounded memory', (getDatabase) => {
  const files = temporaryFolder();
  let bombs: Bomb[] = [];
  let handle: TestDatabase;
  afterAll(() => files.remove());
  beforeAll(async () => {
    handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    bombs = await writeBombs(files.folder, files.write);
  }, 60_000);

  it('refuses each with the cap or the reason, within seconds and 200 MB', async () => {
    const before = await databaseFingerprint(handle.db);
    for (const bomb of bombs) {
      global.gc?.();
      const start = process.memoryUsage().rss;
      let peak = start;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
      const began = performance.now();
      const refusal = await (async () => loadObservations(handle, await openObservationSource(bomb.path), bomb.path))().catch((error: unknown) => error);
      const seconds = (performance.now() - began) / 1000;
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const growth = (peak - start) / 2 ** 20;
      console.log(`${bomb.name}: refused in ${seconds.toFixed(2)} s, peak RSS growth ${growth.toFixed(0)} MB`);
      expect(refusal, bomb.name).toBeInstanceOf(LoadRejectedError);
      expect(formatProblem((refusal as LoadRejectedError).problems[0])).toMatch(bomb.reason);
      expect(seconds, bomb.name).toBeLessThan(5);
      expect(growth, bomb.name).toBeLessThan(200);
    }
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  }, 120_000);

  afterEach(() => vi.unstubAllEnvs());
  const refusalOf = async (path: string) => {
    const refusal = await (async () => loadObservations(handle, await openObservationSource(path), path))().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LoadRejectedError);
    return formatProblem((refusal as LoadRejectedError).problems[0]);
  };

  it('takes its caps from the environment, and names the variable in the refusal', async () => {
    const csv = files.write('three.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2024-04,1,2\nREADMIT,RZB,2024-04,1,2\nREADMIT,RZC,2024-04,1,2\n');
    const parquet = files.write(
      'small.parquet',
      new Uint8Array(parquetWriteBuffer({ columnData: [{ name: 'indicator_code', data: ['READMIT'], type: 'STRING' }, { name: 'organisation_code', data: ['RZA'], type: 'STRING' }, { name: 'period', data: ['2024-04'], type: 'STRING' }] })),
    );
    vi.stubEnv('VARIATION_ATLAS_MAX_ROWS', '2');
    expect(await refusalOf(csv)).toBe('three.csv, row 4: the file has more than 2 rows; the cap is 2 rows (VARIATION_ATLAS_MAX_ROWS)');
    vi.stubEnv('VARIATION_ATLAS_MAX_ROWS', '');
    vi.stubEnv('VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES', '20');
    expect(await refusalOf(parquet)).toMatch(/^small\.parquet: its (columns declare|pages expand to) more than 20 bytes( uncompressed)?; the cap is 20 bytes \(VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES\)$/);
    expect(await refusalOf(csv)).toBe('three.csv: the file is larger than 20 bytes; the cap is 20 bytes (VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES)');
    vi.stubEnv('VARIATION_ATLAS_MAX_DECOMPRESSED_BYTES', '');
    const long = files.write('long.csv', `indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2024-04,1,2\nREADMIT,RZB,"${'x'.repeat(70)}",1,2\n`);
    vi.stubEnv('VARIATION_ATLAS_MAX_ROW_CHARACTERS', '60');
    expect(await refusalOf(long)).toBe('long.csv, row 3, column "period": the row is longer than 60 characters; the cap is 60 characters (VARIATION_ATLAS_MAX_ROW_CHARACTERS)');
  });
});
