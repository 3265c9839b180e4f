import { afterAll, beforeAll, expect, it } from 'vitest';
import { rollbackBatch } from '../../etl/load/batches';
import { loadAttributes } from '../../etl/load/load-attributes';
import { loadOrganisations } from '../../etl/load/load-reference';
import { LoadRejectedError } from '../../etl/problems';
import { queryRows } from '../../db';
import { sql } from 'drizzle-orm';
import { describeDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';

const header = 'organisation_code,attribute,type,value';

describeDatabase('ETL: organisation attributes', (database) => {
  const files = temporaryFolder();
  beforeAll(async () => {
    await loadOrganisations(database(), files.write('organisations.csv', referenceFiles['organisations.csv']));
  });
  afterAll(() => files.remove());

  /** The problems a refused file gives, as "row column: reason". */
  async function refusal(name: string, lines: string[]): Promise<string[]> {
    const error = await loadAttributes(database(), files.write(name, [header, ...lines].join('\n')), 'tester').then(
      () => null,
      (caught: unknown) => caught,
    );
    expect(error, name).toBeInstanceOf(LoadRejectedError);
    return (error as LoadRejectedError).problems.map((p) => `${p.file} ${p.row} ${p.column}: ${p.reason}`);
  }

  const current = () =>
    queryRows<{ code: string; attribute: string; numeric_value: number | null; category: string | null }>(
      database().db,
      sql`select distinct on (a.organisation_id, a.attribute) o.code, a.attribute, a.numeric_value, a.category
          from organisation_attributes a join load_batches b on b.id = a.load_batch_id and b.status = 'loaded' join organisations o on o.id = a.organisation_id
          order by a.organisation_id, a.attribute, a.load_batch_id desc`,
    );

  it('refuses bad cells naming file, row, column and reason, and loads nothing', async () => {
    const problems = await refusal('bad.csv', [
      'RZA,beds,numeric,1e3',
      'RZB,beds,numeric,"1,200"',
      'RZC,Beds,numeric,5',
      'RZA,trust_type,category,teaching',
      'NOPE,case_mix_index,numeric,1.02',
      'RZB,beds,numeric,300',
    ]);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^bad\.csv 2 value: a numeric attribute is a plain decimal/),
        expect.stringMatching(/^bad\.csv 3 value: a numeric attribute is a plain decimal/),
        expect.stringMatching(/^bad\.csv 4 attribute: an attribute name is lower-case letters/),
        expect.stringMatching(/^bad\.csv 5 type: must be one of numeric, categorical/),
      ]),
    );
    expect(await refusal('short.csv', ['RZB,beds,numeric'])).toEqual([expect.stringMatching(/^short\.csv 2 undefined: the row has 3 fields but the header has 4/)]);
    expect(await refusal('twice.csv', ['RZB,beds,numeric,300', 'RZB,beds,numeric,310'])).toEqual(['twice.csv 3 attribute: RZB gives beds already in row 2']);
    expect(await refusal('types.csv', ['RZB,beds,numeric,300', 'RZA,beds,categorical,large'])).toEqual(['types.csv 3 type: beds is numeric in row 2; an attribute has one type']);
    expect(await refusal('unknown.csv', ['NOPE,beds,numeric,300', 'RZA,beds,numeric,400'])).toEqual(['unknown.csv 2 organisation_code: unknown organisation']);
    expect(await current()).toEqual([]);
  });

  it('loads a file as one audited batch; a later file replaces values, a rollback restores them', async () => {
    const first = await loadAttributes(
      database(),
      files.write('attributes.csv', [header, 'RZA,beds,numeric,1200', 'RZA,trust_type,categorical,teaching', 'RZB,beds,numeric,450.5', 'RZB,trust_type,categorical,district_general'].join('\n')),
      'tester',
    );
    expect(first).toMatchObject({ status: 'loaded', rows: 4, attributes: [{ name: 'beds', type: 'numeric', organisations: 2 }, { name: 'trust_type', type: 'categorical', organisations: 2 }] });
    expect(await loadAttributes(database(), files.write('attributes.csv', [header, 'RZA,beds,numeric,1200', 'RZA,trust_type,categorical,teaching', 'RZB,beds,numeric,450.5', 'RZB,trust_type,categorical,district_general'].join('\n')))).toMatchObject({ status: 'unchanged', batchId: first.batchId });
    const [audit] = await queryRows<{ actor: string; details: { batchId: number; format: string } }>(database().db, sql`select actor, details from audit_events where action = 'load' order by id desc limit 1`);
    expect(audit).toMatchObject({ actor: 'tester', details: { batchId: first.batchId, format: 'attributes' } });

    expect(await refusal('retype.csv', ['RZC,beds,categorical,small'])).toEqual(['retype.csv 2 type: beds is stored as numeric; an attribute keeps its type']);
    const second = await loadAttributes(database(), files.write('revised.csv', [header, 'RZB,beds,numeric,500'].join('\n')), 'tester');
    const beds = async () => Object.fromEntries((await current()).filter((row) => row.attribute === 'beds').map((row) => [row.code, Number(row.numeric_value)]));
    expect(await beds()).toEqual({ RZA: 1200, RZB: 500 });
    await rollbackBatch(database(), second.batchId, 'tester');
    expect(await beds()).toEqual({ RZA: 1200, RZB: 450.5 });
  });
});
