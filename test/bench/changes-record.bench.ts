import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { suppressionFloorOf } from '../../api/changes/alert-config';
import { slicesChangedBy } from '../../api/changes/record-changes';
import { verdictSnapshot, type TouchedSlice } from '../../api/changes/verdict-snapshot';
import { queryRows, type DatabaseHandle } from '../../db';
import { loadDemo } from '../../etl/demo/load-demo';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { insertObservationReference, writeObservationCsv } from './etl-load.bench';
import { report, timeIt } from './measure';

const s = (seconds: number) => `${seconds.toFixed(1)} s`;

/**
 * Issue 18: what recording a load's verdict changes adds to the load. A file revising every indicator × period
 * of what is loaded is loaded; the recorder's share is its two verdict snapshots of those slices, as the loader
 * takes them (before the write; after it, only the periods the load changed or that overlap them are read and
 * computed again, the rest taken from before), timed
 * on their own in the same run on the same states, against the rest of the load. The target is at most 50 %
 * (ratio 0.5). The demo (one figure revised) on PGlite unless DATABASE_URL is set; with PostgreSQL also
 * BENCH_CHANGES_ROWS (default 1,000,000) generated rows revised by a file of the same shape and other figures.
 */
export async function changesRecordBench(): Promise<void> {
  await demoRevision();
  if (process.env.DATABASE_URL?.trim()) await largeRevision(Number(process.env.BENCH_CHANGES_ROWS ?? 1_000_000));
}

async function demoRevision() {
  const files = temporaryFolder();
  const handle = await createTestDatabase();
  try {
    const demo = await timeIt(() => loadDemo(handle));
    const rows = await queryRows<Record<string, string | number | null>>(
      handle.db,
      sql`select i.code as indicator_code, o.code as organisation_code, p.label as period, numerator, denominator, observed, expected, value, value_lower, value_upper
          from observations x join indicators i on i.id = x.indicator_id join organisations o on o.id = x.organisation_id join periods p on p.id = x.period_id order by x.id`,
    );
    const columns = ['indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper'];
    const first = rows.findIndex((row) => row.numerator !== null);
    const csv = [columns.join(','), ...rows.map((row, i) => columns.map((column) => (i === first && column === 'numerator' ? Number(row.numerator) + 1 : (row[column] ?? ''))).join(','))].join('\n') + '\n';
    const path = files.write('revision.csv', csv);
    const measured = await revisionWithRecorder(handle, path, 3);
    report(`What a load changed, recorded in the load (${handle.kind}, ${rows.length} rows, ${measured.slices} indicator × periods)`, [
      { name: "the demo's first load (a baseline: nothing compared)", value: s(demo.seconds) },
      ...measured.lines('revision of every slice (one figure changed)'),
    ]);
  } finally {
    files.remove();
    await handle.close();
  }
}

async function largeRevision(rows: number) {
  const files = temporaryFolder();
  const handle = await createTestDatabase();
  try {
    const sql = handle.driver.kind === 'postgres' ? handle.driver.client : undefined;
    if (!sql) throw new Error('the large case needs PostgreSQL');
    await insertObservationReference(sql, rows);
    const loaded = join(files.folder, 'loaded.csv');
    const revision = join(files.folder, 'revision.csv');
    await writeObservationCsv(loaded, rows);
    // Another seed: every row's figures differ, so every funnel is computed again after the load.
    await writeObservationCsv(revision, rows, 67890);
    const first = await timeIt(async () => loadObservations(handle, await openObservationSource(loaded), loaded));
    const measured = await revisionWithRecorder(handle, revision, 1);
    report(`What a load changed, recorded in the load (postgres, ${rows.toLocaleString('en-GB')} generated rows, ${measured.slices} indicator × periods)`, [
      { name: 'the first load (a baseline: nothing compared)', value: s(first.seconds) },
      ...measured.lines('revision of every row'),
    ]);
  } finally {
    await handle.close();
    files.remove();
  }
}

/** The median time of `repeats` runs (the machine is shared: one slow run would swing the ratio), with the last run's result. */
async function medianOf<T>(repeats: number, fn: () => Promise<T>): Promise<{ seconds: number; result: T }> {
  const runs: { seconds: number; result: T }[] = [];
  for (let i = 0; i < repeats; i++) runs.push(await timeIt(fn));
  return { seconds: runs.map((run) => run.seconds).sort((a, b) => a - b)[Math.floor(repeats / 2)], result: runs.at(-1)!.result };
}

/**
 * Loads the revision at `path`, timing apart the recorder's two snapshots of every slice on the states before and
 * after it (medians of `repeats`).
 */
async function revisionWithRecorder(handle: DatabaseHandle, path: string, repeats: number) {
  const floor = suppressionFloorOf();
  const slices: TouchedSlice[] = (await queryRows<{ indicator_id: number; period_id: number }>(handle.db, sql`select distinct indicator_id, period_id from observations`)).map((row) => ({
    indicatorId: Number(row.indicator_id),
    periodId: Number(row.period_id),
  }));
  const before = await medianOf(repeats, () => verdictSnapshot(handle.db, slices, floor));
  const load = await timeIt(async () => loadObservations(handle, await openObservationSource(path), path, {}));
  if (load.result.status !== 'loaded') throw new Error('the revision did not load');
  const after = await medianOf(repeats, async () => verdictSnapshot(handle.db, slices, floor, before.result, await slicesChangedBy(handle.db, load.result.batchId)));
  const recorder = before.seconds + after.seconds;
  const rest = load.seconds - recorder;
  return {
    slices: slices.length,
    lines: (name: string) => [
      { name: `${name}: the whole load`, value: s(load.seconds), baseline: `verdicts changed ${load.result.verdictChanges.length}` },
      {
        name: `${name}: the recorder (before ${s(before.seconds)}, after ${s(after.seconds)})`,
        value: s(recorder),
        baseline: `the rest of the load ${s(rest)}`,
        ratio: recorder / rest,
        target: 'at most 0.5',
      },
    ],
  };
}
