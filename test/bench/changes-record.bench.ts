import { sql } from 'drizzle-orm';
import { verdictSnapshot } from '../../api/changes/verdict-snapshot';
import { queryRows } from '../../db';
import { loadDemo } from '../../etl/demo/load-demo';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { report, timeIt } from './measure';

/**
 * Issue 18: what recording a load's verdict changes adds to the load. The demo is loaded, then a file revising
 * every one of its indicator × periods (one figure changed) is loaded; the recorder's share is its two verdict
 * snapshots of those slices (before and after), timed on their own in the same run, against the rest of the load.
 * The target is at most 50 % (ratio 0.5). PGlite unless DATABASE_URL is set.
 */
export async function changesRecordBench(): Promise<void> {
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
    const revision = await timeIt(async () => loadObservations(handle, await openObservationSource(path), path, {}));
    if (revision.result.status !== 'loaded') throw new Error('the revision did not load');
    const slices = (await queryRows<{ indicator_id: number; period_id: number }>(handle.db, sql`select distinct indicator_id, period_id from observations`)).map((row) => ({ indicatorId: Number(row.indicator_id), periodId: Number(row.period_id) }));
    const snapshots = await timeIt(async () => {
      await verdictSnapshot(handle.db, slices, 5);
      await verdictSnapshot(handle.db, slices, 5);
    });
    const s = (seconds: number) => `${seconds.toFixed(1)} s`;
    report(`What a load changed, recorded in the load (${handle.kind}, ${rows.length} rows, ${slices.length} indicator × periods)`, [
      { name: "the demo's first load (a baseline: nothing compared)", value: s(demo.seconds) },
      {
        name: 'revision of every slice: the two verdict snapshots',
        value: s(snapshots.seconds),
        baseline: `the rest of the load ${s(revision.seconds - snapshots.seconds)}`,
        ratio: snapshots.seconds / (revision.seconds - snapshots.seconds),
        target: 'at most 0.5',
      },
    ]);
  } finally {
    files.remove();
    await handle.close();
  }
}
