import { tableToIPC, tableFromArrays } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { asc, eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { listBatches, rollbackBatch } from '../../etl/load/batches';
import { loadObservations, type LoadOptions } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource, type OpenSourceOptions } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

describeDatabase('ETL formats, revisions and rollback', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  let handle: TestDatabase;

  async function load(name: string, content: string | Uint8Array, options: OpenSourceOptions & LoadOptions = {}) {
    const path = files.write(name, content);
    return loadObservations(handle, await openObservationSource(path, options), path, options);
  }

  async function observationsOf(indicator: string) {
    return handle.db
      .select({
        organisation: schema.organisations.code,
        period: schema.periods.label,
        numerator: schema.observations.numerator,
        denominator: schema.observations.denominator,
        observed: schema.observations.observed,
        expected: schema.observations.expected,
        value: schema.observations.value,
        valueLower: schema.observations.valueLower,
        valueUpper: schema.observations.valueUpper,
        batch: schema.observations.loadBatchId,
      })
      .from(schema.observations)
      .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
      .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
      .where(eq(schema.indicators.code, indicator))
      .orderBy(asc(schema.periods.startDate), asc(schema.organisations.code));
  }

  beforeAll(async () => {
    handle = getDatabase();
    expect(await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']))).toBe(4);
    expect(await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']))).toBe(1);
    expect(await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']))).toBe(2);
    expect(await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']))).toBe(5);
  });

  it('loads reference data with parents, dated memberships and an upsert on reload', async () => {
    const trust = await handle.db.query.organisations.findFirst({ where: eq(schema.organisations.code, 'RZC'), with: { parent: true } });
    expect(trust?.name).toBe('Gamma, Delta and Epsilon NHS Foundation Trust');
    expect(trust?.parent?.code).toBe('QZZ');
    const memberships = await handle.db.select().from(schema.networkMemberships).orderBy(schema.networkMemberships.validFrom);
    expect(memberships.map((m) => m.validTo)).toEqual([null, '2024-04-01']);
    const before = await databaseFingerprint(handle.db);
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    expect(await databaseFingerprint(handle.db)).toEqual(before);
    const json = JSON.stringify([{ code: 'SHMI', name: 'SHMI (renamed)', domain: 'Mortality', measure_kind: 'indirectly_standardised_ratio', polarity: 'lower_is_better', multiplier: 1, unit: 'ratio' }]);
    await loadIndicators(handle, files.write('indicators.json', json));
    expect((await handle.db.query.indicators.findFirst({ where: eq(schema.indicators.code, 'SHMI') }))?.name).toBe('SHMI (renamed)');
  });

  it('round-trips the generic CSV, including quoted fields and CRLF line ends', async () => {
    const csv = 'indicator_code,organisation_code,period,numerator,denominator\r\nREADMIT,RZA,2024/25 Q1,41,512\r\nREADMIT,"RZB",2024/25 Q1,7,96\r\nREADMIT,RZC,2024/25 Q2,0,1\r\n';
    const result = await load('generic.csv', csv);
    expect(result).toMatchObject({ status: 'loaded', rows: 3, rejectedRows: 0 });
    expect(await observationsOf('READMIT')).toEqual([
      expect.objectContaining({ organisation: 'RZA', period: '2024/25 Q1', numerator: 41, denominator: 512, observed: null, batch: result.batchId }),
      expect.objectContaining({ organisation: 'RZB', period: '2024/25 Q1', numerator: 7, denominator: 96 }),
      expect.objectContaining({ organisation: 'RZC', period: '2024/25 Q2', numerator: 0, denominator: 1 }),
    ]);
    const period = await handle.db.query.periods.findFirst({ where: eq(schema.periods.label, '2024/25 Q2') });
    expect(period).toMatchObject({ startDate: '2024-07-01', endDate: '2024-09-30', granularity: 'quarter' });
  });

  it('round-trips an Apache Arrow IPC file with the generic columns', async () => {
    const table = tableFromArrays({
      indicator_code: ['CDIFF', 'CDIFF'],
      organisation_code: ['RZA', 'RZB'],
      period: ['2024-04', '2024-04'],
      numerator: Float64Array.from([3, 11]),
      denominator: Float64Array.from([18250, 40125.5]),
    });
    const result = await load('rates.arrow', tableToIPC(table, 'file'));
    expect(result).toMatchObject({ status: 'loaded', rows: 2 });
    expect((await observationsOf('CDIFF')).map((row) => [row.organisation, row.numerator, row.denominator])).toEqual([
      ['RZA', 3, 18250],
      ['RZB', 11, 40125.5],
    ]);
  });

  it('round-trips a Parquet file with the generic columns, across row groups', async () => {
    const buffer = parquetWriteBuffer({
      columnData: [
        { name: 'indicator_code', data: ['SHMI', 'SHMI', 'SHMI'], type: 'STRING' },
        { name: 'organisation_code', data: ['RZA', 'RZB', 'RZC'], type: 'STRING' },
        { name: 'period', data: ['2022/23', '2022/23', '2022/23'], type: 'STRING' },
        { name: 'observed', data: [1346, 913, 0], type: 'DOUBLE' },
        { name: 'expected', data: [1478.9925, 768.4005, 2.5], type: 'DOUBLE' },
      ],
      rowGroupSize: 2,
    });
    const result = await load('ratios.parquet', new Uint8Array(buffer));
    expect(result).toMatchObject({ status: 'loaded', rows: 3 });
    expect((await observationsOf('SHMI')).filter((row) => row.period === '2022/23').map((row) => [row.organisation, row.observed, row.expected])).toEqual([
      ['RZA', 1346, 1478.9925],
      ['RZB', 913, 768.4005],
      ['RZC', 0, 2.5],
    ]);
  });

  it('round-trips a Fingertips export, passing over England, sub-category and suppressed rows', async () => {
    const header = '\uFEFFIndicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,Denominator,Value note';
    const csv = [
      header,
      '90360,Hip fractures,,,E92000001,England,England,Persons,65+ yrs,,,2022/23,551.2,548.1,554.3,,,56000,10150000,',
      '90360,Hip fractures,QZZ,Test ICB,RZA,Alpha,NHS trust,Persons,65+ yrs,,,2022/23,601.5,560.2,645.1,,,812,135000,',
      '90360,Hip fractures,QZZ,Test ICB,RZA,Alpha,NHS trust,Persons,65+ yrs,IMD decile,Most deprived,2022/23,700.1,650,750,,,100,14000,',
      '90360,Hip fractures,QZZ,Test ICB,RZB,Beta,NHS trust,Persons,65+ yrs,,,2022/23,,,,,,,,Value suppressed',
    ].join('\n');
    const result = await load('fingertips.csv', csv);
    expect(result).toMatchObject({ status: 'loaded', rows: 1, skippedRows: 3 });
    expect(await observationsOf('90360')).toEqual([
      expect.objectContaining({ organisation: 'RZA', period: '2022/23', value: 601.5, valueLower: 560.2, valueUpper: 645.1, numerator: 812, denominator: 135000 }),
    ]);
  });

  it('round-trips a SHMI-style trust file, with the period from the file or from the load', async () => {
    const withPeriod = 'publication,data_period,provider_code,provider_name,spells,observed,expected\n2024-06,2023-04..2024-03,RZA,Alpha,43924,1346,1478.9925\n2024-06,2023-04..2024-03,RZB,Beta,18732,913,768.4005\n';
    expect(await load('shmi.csv', withPeriod)).toMatchObject({ status: 'loaded', rows: 2 });
    const noPeriod = 'Provider code,Provider name,Observed deaths,Expected deaths\nRZC,Gamma,120,100.5\n';
    expect(await load('shmi-2024-07.csv', noPeriod, { period: '2023-05..2024-04' })).toMatchObject({ status: 'loaded', rows: 1 });
    const rolling = (await observationsOf('SHMI')).filter((row) => row.period.includes('..'));
    expect(rolling.map((row) => [row.organisation, row.period, row.observed, row.expected])).toEqual([
      ['RZA', '2023-04..2024-03', 1346, 1478.9925],
      ['RZB', '2023-04..2024-03', 913, 768.4005],
      ['RZC', '2023-05..2024-04', 120, 100.5],
    ]);
  });

  it('treats loading the same file twice as a no-op', async () => {
    const csv = 'indicator_code,organisation_code,period,value,value_lower,value_upper\nLOS,RZA,2024-05,4.2,3.9,4.5\n';
    const first = await load('los.csv', csv);
    const before = await databaseFingerprint(handle.db);
    const second = await load('los-copy.csv', csv);
    expect(second).toMatchObject({ status: 'unchanged', batchId: first.batchId });
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });

  it('replaces a revised indicator-period slice, records the supersession, and rolls back exactly', async () => {
    const original = 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q4,10,100\nREADMIT,RZB,2023/24 Q4,20,100\nREADMIT,RZA,2023/24 Q3,5,50\n';
    const first = await load('readmit-v1.csv', original);
    const beforeRevision = await databaseFingerprint(handle.db);
    const revised = 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q4,11,101\nREADMIT,RZC,2023/24 Q4,30,120\n';
    const second = await load('readmit-v2.csv', revised);
    expect(second).toMatchObject({ status: 'loaded', rows: 2, supersededRows: 2, supersededBatchIds: [] });
    const q4 = (await observationsOf('READMIT')).filter((row) => row.period === '2023/24 Q4');
    expect(q4.map((row) => [row.organisation, row.numerator, row.batch])).toEqual([
      ['RZA', 11, second.batchId],
      ['RZC', 30, second.batchId],
    ]);
    await expect(rollbackBatch(handle, first.batchId)).rejects.toThrow(`load batch ${first.batchId} was revised by batch ${second.batchId}; roll back batch ${second.batchId} first`);

    const third = await load('readmit-v3.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2023/24 Q3,6,50\n');
    expect(third.supersededBatchIds).toEqual([first.batchId]);
    const history = await listBatches(handle.db);
    expect(history.find((batch) => batch.id === first.batchId)).toMatchObject({ status: 'superseded', supersededById: third.batchId });

    expect(await rollbackBatch(handle, third.batchId)).toEqual({ batchId: third.batchId, removedRows: 1, restoredRows: 1, restoredBatchIds: [first.batchId] });
    expect(await rollbackBatch(handle, second.batchId)).toMatchObject({ removedRows: 2, restoredRows: 2 });
    const restored = await databaseFingerprint(handle.db);
    // The batches table and the audit trail keep the history of the two rolled-back loads; everything else is as before.
    const keptHistory = { load_batches: '', periods: '', audit_events: '' };
    expect({ ...restored, ...keptHistory }).toEqual({ ...beforeRevision, ...keptHistory });
    await expect(rollbackBatch(handle, second.batchId)).rejects.toThrow(`load batch ${second.batchId} is rolled back, so there is nothing to roll back`);
    await expect(rollbackBatch(handle, 99999)).rejects.toThrow('there is no load batch 99999');
  });

  it('with a rejects file, loads the valid rows and writes the rejected ones with their reasons', async () => {
    const csv = 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2022/23 Q1,10,100\nREADMIT,RZX,2022/23 Q1,1,10\nREADMIT,RZB,2022/23 Q1,200,100\n';
    const rejectsPath = `${files.folder}/rejects.csv`;
    const result = await load('partial.csv', csv, { rejectsPath });
    expect(result).toMatchObject({ status: 'loaded', rows: 1, rejectedRows: 2 });
    expect(readFileSync(rejectsPath, 'utf8').trim().split('\n')).toEqual([
      'row,indicator,organisation,period,numerator,denominator,observed,expected,value,valueLower,valueUpper,reasons',
      'row,indicator,organisation,period,numerator,denominator,observed,expected,value,valueLower,valueUpper,reasons'.replace(/.*/, '3,READMIT,RZX,2022/23 Q1,1,10,,,,,,organisation_code: unknown organisation; load it with `etl organisations` or pass --create-missing'),
      '4,READMIT,RZB,2022/23 Q1,200,100,,,,,,numerator: the numerator is greater than the denominator (100) for a proportion',
    ]);
    const batch = (await listBatches(handle.db)).find((row) => row.id === result.batchId);
    expect(batch).toMatchObject({ rowCount: 1, rejectedRowCount: 2 });
  });

  it('creates unknown organisations only when asked', async () => {
    const csv = 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZNEW,2021/22 Q1,1,10\n';
    const result = await load('new-org.csv', csv, { createMissingOrganisations: true });
    expect(result.rows).toBe(1);
    expect(await handle.db.query.organisations.findFirst({ where: eq(schema.organisations.code, 'RZNEW') })).toMatchObject({ kind: 'other', name: 'RZNEW' });
  });
});
