import type postgres from 'postgres';
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import { join } from 'node:path';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { megabytes, peakMemory, report, timeIt } from './measure';

const indicators = 10;
const periods = 10;

/** Writes `rows` generic-CSV observation rows (indicators × organisations × quarters), deterministically from the seed. */
export async function writeObservationCsv(path: string, rows: number, seed = 12345): Promise<void> {
  const organisations = rows / (indicators * periods);
  const out = createWriteStream(path);
  out.write('indicator_code,organisation_code,period,numerator,denominator\n');
  let chunk = '';
  for (let i = 0; i < indicators; i++) {
    for (let p = 0; p < periods; p++) {
      const period = `${2016 + Math.floor(p / 4)}/${String((17 + Math.floor(p / 4)) % 100).padStart(2, '0')} Q${(p % 4) + 1}`;
      for (let o = 0; o < organisations; o++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const denominator = 100 + (seed % 5000);
        chunk += `BENCH${i},O${String(o).padStart(6, '0')},${period},${Math.floor(denominator * 0.1)},${denominator}\n`;
        if (chunk.length > 1 << 16) {
          if (!out.write(chunk)) await once(out, 'drain');
          chunk = '';
        }
      }
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

/** The indicators and organisations `writeObservationCsv(path, rows)` refers to, inserted directly. */
export async function insertObservationReference(sql: postgres.Sql, rows: number): Promise<void> {
  await sql`insert into indicators (code, name, domain, measure_kind, polarity, multiplier, unit)
    select 'BENCH' || i, 'Bench ' || i, 'Bench', 'proportion', 'lower_is_better', 100, '%' from generate_series(0, ${indicators - 1}) i`;
  await sql`insert into organisations (code, name, kind)
    select 'O' || lpad(o::text, 6, '0'), 'Organisation ' || o, 'trust' from generate_series(0, ${rows / (indicators * periods) - 1}) o`;
}

async function benchLoad(rows: number, url: string) {
  const files = temporaryFolder();
  process.env.DATABASE_URL = url;
  const handle = await createTestDatabase();
  try {
    const sql = handle.driver.kind === 'postgres' ? handle.driver.client : undefined;
    if (!sql) throw new Error('the load benchmark needs PostgreSQL');
    await insertObservationReference(sql, rows);
    const path = join(files.folder, `observations-${rows}.csv`);
    await writeObservationCsv(path, rows);

    const loader = await peakMemory(() => timeIt(async () => loadObservations(handle, await openObservationSource(path), path)));
    const loaded = loader.result.result;
    if (loaded.rows !== rows) throw new Error(`loaded ${loaded.rows} rows, expected ${rows}`);

    // Baseline: PostgreSQL's own COPY of the same rows, ids already resolved, into the same empty table.
    const copyPath = join(files.folder, 'resolved.csv');
    // Written through a cursor: postgres.js can leave a connection stalled after COPY TO (porsager/postgres#917).
    const resolved = createWriteStream(copyPath);
    for await (const batch of sql`select indicator_id, organisation_id, period_id, numerator, denominator, load_batch_id from observations`.cursor(20_000)) {
      const text = batch.map((row) => `${row.indicator_id},${row.organisation_id},${row.period_id},${row.numerator},${row.denominator},${row.load_batch_id}\n`).join('');
      if (!resolved.write(text)) await once(resolved, 'drain');
    }
    resolved.end();
    await once(resolved, 'finish');
    const copyResolved = async () => {
      const writable = await sql`copy observations (indicator_id, organisation_id, period_id, numerator, denominator, load_batch_id) from stdin with (format csv)`.writable();
      await pipeline(createReadStream(copyPath), writable);
      const [{ count }] = await sql<{ count: string }[]>`select count(*) from observations`;
      if (Number(count) !== rows) throw new Error(`baseline copied ${count} rows, expected ${rows}`);
    };
    // Baseline with foreign keys: the same table as it stands, four RI checks per row.
    await sql`truncate observations`;
    const withForeignKeys = await timeIt(() => copyResolved());
    await sql`truncate observations`;
    // The baseline: the same table, indexes, checks and statement triggers without its four foreign keys
    // (dropped for good: this database is dropped after the run), from the same empty start.
    const constraints = await sql<{ name: string }[]>`select conname as name from pg_constraint where conrelid = 'observations'::regclass and contype = 'f'`;
    if (constraints.length !== 4) throw new Error(`expected observations' 4 foreign keys, found ${constraints.length}`);
    for (const { name } of constraints) await sql.unsafe(`alter table observations drop constraint "${name}"`);
    const withoutForeignKeys = await timeIt(() => copyResolved());
    return { seconds: loader.result.seconds, withForeignKeys: withForeignKeys.seconds, withoutForeignKeys: withoutForeignKeys.seconds, peakBytes: loader.peakBytes, fileBytes: statSync(path).size };
  } finally {
    await handle.close();
    files.remove();
  }
}

export async function etlLoadBench(): Promise<void> {
  const url = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
  const smallRows = Number(process.env.BENCH_SMALL_ROWS ?? 250_000);
  const small = await benchLoad(smallRows, url);
  const large = await benchLoad(1_000_000, url);
  report('ETL: generic CSV into PostgreSQL (validate, COPY, one transaction)', [
    { name: '1,000,000 rows: loader', value: `${large.seconds.toFixed(2)} s`, baseline: `COPY without foreign keys ${large.withoutForeignKeys.toFixed(2)} s`, ratio: large.seconds / large.withoutForeignKeys, target: '<= 2' },
    { name: '1,000,000 rows: loader vs COPY with foreign keys', value: `${large.seconds.toFixed(2)} s`, baseline: `COPY with foreign keys ${large.withForeignKeys.toFixed(2)} s`, ratio: large.seconds / large.withForeignKeys },
    { name: '1,000,000 rows: COPY with vs without foreign keys', value: `${large.withForeignKeys.toFixed(2)} s`, baseline: `${large.withoutForeignKeys.toFixed(2)} s`, ratio: large.withForeignKeys / large.withoutForeignKeys },
    { name: '1,000,000 rows: rows/s', value: `${Math.round(1_000_000 / large.seconds).toLocaleString('en-GB')}` },
    { name: `loader peak memory, ${megabytes(small.fileBytes)} file (${smallRows.toLocaleString("en-GB")} rows)`, value: megabytes(small.peakBytes) },
    { name: `loader peak memory, ${megabytes(large.fileBytes)} file (1,000,000 rows)`, value: megabytes(large.peakBytes), target: '< 300 MB, flat in file size' },
    { name: `${smallRows.toLocaleString("en-GB")} rows: loader`, value: `${small.seconds.toFixed(2)} s`, baseline: `COPY without foreign keys ${small.withoutForeignKeys.toFixed(2)} s`, ratio: small.seconds / small.withoutForeignKeys },
  ]);
}
