import postgres from 'postgres';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { withTransaction } from '../../db';
import { describeDatabase, testDatabaseKind, type TestDatabase } from '../../test/support/database';
import { referenceFiles, temporaryFolder } from '../../test/support/etl-fixtures';
import { LoadRejectedError } from '../problems';
import { openObservationSource } from '../sources/open-source';
import { loadObservations } from './load-observations';
import { loadIndicators, loadOrganisations } from './load-reference';
import { copyObservations, missingReferences, referenceCheckFor } from './write-observations';

/**
 * The loader COPYs observations without PostgreSQL's per-row foreign-key checks where the role allows, and checks
 * the references itself. Without these tests a dangling id could get in (a parent deleted between validation and
 * the load's locks, or during the load), or a trigger on observations could stop firing under the replica role.
 */
const header = 'indicator_code,organisation_code,period,numerator,denominator';
const csv = (...rows: string[]) => [header, ...rows].join('\n') + '\n';

/** Observations whose indicator, organisation, period or batch has no parent row, over all four foreign keys. */
async function orphans(handle: TestDatabase): Promise<number> {
  const rows = await withTransaction(handle, (session) =>
    session.query<{ n: number | string }>(
      `select count(*) as n from observations o
       where not exists (select 1 from indicators p where p.id = o.indicator_id)
          or not exists (select 1 from organisations p where p.id = o.organisation_id)
          or not exists (select 1 from periods p where p.id = o.period_id)
          or not exists (select 1 from load_batches p where p.id = o.load_batch_id)`,
    ),
  );
  return Number(rows[0].n);
}

const countOf = async (handle: TestDatabase, sql: string, params: unknown[] = []) =>
  Number((await withTransaction(handle, (session) => session.query<{ n: number | string }>(sql, params)))[0].n);

describeDatabase('observations written with the set-based reference check', (getDatabase) => {
  const files = temporaryFolder();
  let fileNumber = 0;
  afterAll(() => files.remove());
  beforeAll(async () => {
    const handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
  });
  const load = async (content: string, options: Parameters<typeof loadObservations>[3] = {}) => {
    const path = files.write(`file-${++fileNumber}.csv`, content);
    return loadObservations(getDatabase(), await openObservationSource(path), path, options);
  };

  it('is the path taken on a migrated database run by a superuser, as PGlite and the test server are', async () => {
    expect(await withTransaction(getDatabase(), (session) => referenceCheckFor(session))).toBe('set-based');
  });

  it('keeps every trigger of the project on observations and observation_revisions firing under the replica role', async () => {
    const triggers = await withTransaction(getDatabase(), (session) =>
      session.query<{ name: string; enabled: string }>(
        `select tgname as name, tgenabled as enabled from pg_trigger
         where tgrelid in ('observations'::regclass, 'observation_revisions'::regclass) and not tgisinternal order by tgname`,
      ),
    );
    expect(triggers.map((trigger) => trigger.name)).toEqual(['observation_revisions_data_version', 'observations_data_version']);
    expect(triggers.every((trigger) => trigger.enabled === 'A')).toBe(true);
  });

  it('falls back to the per-row check when a trigger on observations would not fire under the replica role', async () => {
    const choice = await withTransaction(getDatabase(), async (session) => {
      await session.query(`alter table observations enable trigger observations_data_version`);
      const check = await referenceCheckFor(session);
      await session.query(`alter table observations enable always trigger observations_data_version`);
      return check;
    });
    expect(choice).toBe('per-row');
  });

  it('loads on the set-based path, bumping the data version and recording the revision', async () => {
    const version = () => countOf(getDatabase(), `select version as n from data_version`);
    const before = await version();
    const first = await load(csv('READMIT,RZA,2031-04,10,100', 'READMIT,RZB,2031-04,20,100'));
    const afterFirst = await version();
    expect(first.rows).toBe(2);
    expect(afterFirst).toBeGreaterThan(before);
    const second = await load(csv('READMIT,RZA,2031-04,11,100', 'READMIT,RZB,2031-04,21,100'));
    expect(second.supersededRows).toBe(2);
    expect(await version()).toBeGreaterThan(afterFirst);
    expect(await countOf(getDatabase(), `select count(*) as n from observation_revisions where superseded_by_batch_id = $1`, [second.batchId])).toBe(2);
    expect(await countOf(getDatabase(), `select sum(numerator) as n from observations where load_batch_id = $1`, [second.batchId])).toBe(32);
    expect(await orphans(getDatabase())).toBe(0);
  });

  it('gives the organisations and periods a load creates their ids in its rows', async () => {
    const loaded = await load(csv('READMIT,RZA,2033-01,3,30', 'READMIT,NEW1,2033-01,4,40', 'READMIT,NEW1,2033-02,5,50', 'READMIT,NEW2,2033-02,6,60'), { createMissingOrganisations: true });
    expect(loaded.rows).toBe(4);
    const rows = await withTransaction(getDatabase(), (session) =>
      session.query<{ organisation: string; period: string; numerator: number }>(
        `select g.code as organisation, p.label as period, o.numerator from observations o
         join organisations g on g.id = o.organisation_id join periods p on p.id = o.period_id
         where o.load_batch_id = $1 order by g.code, p.label`,
        [loaded.batchId],
      ),
    );
    expect(rows.map((row) => `${row.organisation} ${row.period} ${row.numerator}`)).toEqual(['NEW1 2033-01 4', 'NEW1 2033-02 5', 'NEW2 2033-02 6', 'RZA 2033-01 3']);
  });

  it('refuses a dangling id the database would otherwise take: the foreign keys stand', async () => {
    const insertDangling = withTransaction(getDatabase(), async (session) => {
      const [batch] = await session.query<{ id: number }>(`select max(id) as id from load_batches`);
      const [indicator] = await session.query<{ id: number }>(`select id from indicators where code = 'READMIT'`);
      const [period] = await session.query<{ id: number }>(`select id from periods limit 1`);
      await session.query(
        `insert into observations (indicator_id, organisation_id, period_id, numerator, denominator, load_batch_id) values ($1, 999999, $2, 1, 2, $3)`,
        [indicator.id, period.id, batch.id],
      );
    });
    await expect(insertDangling).rejects.toThrow(/foreign key/);
  });

  it('finds a dangling id in a batch COPYd without the per-row checks, and refuses the whole batch', async () => {
    const handle = getDatabase();
    const before = await countOf(handle, `select count(*) as n from observations`);
    let found: string[] = [];
    const copy = withTransaction(handle, async (session) => {
      const [batch] = await session.query<{ id: number }>(
        `insert into load_batches (file_name, format, checksum, row_count, rejected_row_count) values ('dangling.csv', 'generic', repeat('a', 64), 2, 0) returning id`,
      );
      const [indicator] = await session.query<{ id: number }>(`select id from indicators where code = 'READMIT'`);
      const [organisation] = await session.query<{ id: number }>(`select id from organisations where code = 'RZA'`);
      const [period] = await session.query<{ id: number }>(`insert into periods (label, start_date, end_date, granularity) values ('2032-01', '2032-01-01', '2032-01-31', 'month') returning id`);
      const lines = async function* () {
        yield `${indicator.id},${organisation.id},${period.id},1,2,${batch.id}\n`;
        yield `${indicator.id},888888,${period.id},1,2,${batch.id}\n`;
      };
      const columns = ['indicator_id', 'organisation_id', 'period_id', 'numerator', 'denominator', 'load_batch_id'];
      await copyObservations(session, 'set-based', 'dangling.csv', batch.id, columns, lines()).catch(async (error: unknown) => {
        found = await missingReferences(session, batch.id);
        throw error;
      });
    });
    await expect(copy).rejects.toThrow(LoadRejectedError);
    await expect(copy).rejects.toThrow(/organisation id 888888: not in the database/);
    expect(found).toEqual(['organisation id 888888']);
    expect(await countOf(handle, `select count(*) as n from observations`)).toBe(before);
    expect(await orphans(handle)).toBe(0);
  });

  it('refuses a load whose organisation was deleted after the file was validated, before the load took its locks', async () => {
    const handle = getDatabase();
    const before = await countOf(handle, `select count(*) as n from observations`);
    const loading = load(csv('READMIT,RZA,2031-05,10,100', 'READMIT,RZC,2031-05,20,100'), {
      // Inside the load's transaction, after its locks: as a delete committed between validation and the locks.
      beforeWrite: async (session) => {
        await session.query(`delete from organisations where code = 'RZC'`);
      },
    });
    await expect(loading).rejects.toThrow(/organisation RZC: not in the database \(deleted while the file was being loaded\)/);
    expect(await countOf(handle, `select count(*) as n from observations`)).toBe(before);
    expect(await countOf(handle, `select count(*) as n from organisations where code = 'RZC'`)).toBe(1);
    expect(await orphans(handle)).toBe(0);
  });

  (testDatabaseKind === 'postgres' ? it : it.skip)(
    'holds an organisation, indicator and period deleted during a load until it commits, so their cascades leave no orphan',
    async () => {
      const handle = getDatabase();
      if (handle.driver.kind !== 'postgres') throw new Error('PostgreSQL only');
      await loadIndicators(handle, files.write('more-indicators.csv', [referenceFiles['indicators.csv'].split('\n')[0], 'GONE,An indicator deleted during a load,Test,proportion,lower_is_better,100,%,,,'].join('\n')));
      const url = new URL(process.env.DATABASE_URL!);
      url.pathname = `/${handle.name}`;
      // Three connections for the deletes, a fourth to watch them wait.
      const other = postgres(url.toString(), { max: 4, onnotice: () => {} });
      try {
        let deletes: Promise<unknown>[] = [];
        const loaded = await load(csv('READMIT,RZA,2031-06,10,100', 'READMIT,RZB,2031-06,20,100', 'GONE,RZA,2031-07,5,50', 'GONE,RZB,2031-07,6,50'), {
          // The COPY is done: three sessions delete parents of the batch's rows, and must wait for its commit.
          afterWrite: async () => {
            deletes = [
              other`delete from organisations where code = 'RZB'`,
              other`delete from indicators where code = 'GONE'`,
              other`delete from periods where label = '2031-06'`,
            ].map((query) => query.execute());
            for (let tries = 0; ; tries++) {
              const [{ waiting }] = await other`select count(*)::int as waiting from pg_stat_activity where datname = ${handle.name!} and wait_event_type = 'Lock' and query like 'delete from %'`;
              if (waiting === 3) break;
              if (tries > 200) throw new Error(`the deletes did not wait for the load's locks (${waiting} waiting)`);
              await new Promise((resolve) => setTimeout(resolve, 25));
            }
          },
        });
        await Promise.all(deletes);
        expect(loaded.rows).toBe(4);
        expect(await orphans(handle)).toBe(0);
        // The cascades took every row of the batch: RZB's, GONE's and 2031-06's.
        expect(await countOf(handle, `select count(*) as n from observations where load_batch_id = $1`, [loaded.batchId])).toBe(0);
        expect(await countOf(handle, `select count(*) as n from organisations where code = 'RZB'`)).toBe(0);
      } finally {
        await other.end();
      }
    },
  );
});
