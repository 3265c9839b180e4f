import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { queryRows } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { formatProblem, LoadRejectedError } from '../../etl/problems';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

/**
 * What a cell may hold, through every reader: a control character (NUL above all, which PostgreSQL's text and
 * jsonb refuse) is a row problem shown escaped, and figures are exactly the README's forms: counts digits only
 * up to 9,007,199,254,740,991, other figures plain decimals, no exponents, in text and in typed columns alike.
 */
const generic = 'indicator_code,organisation_code,period,numerator,denominator,observed,expected,value,value_lower,value_upper';
const csv = (...rows: string[]) => [generic, ...rows].join('\n') + '\n';
const arrow = (columns: Record<string, unknown[] | Float64Array | BigInt64Array>) => tableToIPC(tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]), 'file');
const parquet = (columns: { name: string; data: unknown[]; type: 'STRING' | 'DOUBLE' | 'INT64' }[]) => new Uint8Array(parquetWriteBuffer({ columnData: columns as never }));
const keys = (organisation = 'RZA') => ({ indicator_code: ['READMIT'], organisation_code: [organisation], period: ['2024/25 Q1'] });
const parquetKeys = (organisation = 'RZA') => [
  { name: 'indicator_code', data: ['READMIT'], type: 'STRING' as const },
  { name: 'organisation_code', data: [organisation], type: 'STRING' as const },
  { name: 'period', data: ['2024/25 Q1'], type: 'STRING' as const },
];
const beyondSafe = 2n ** 60n;

/** Each file has one bad cell: the refusal's first problem must be exactly this. */
const cases: { file: string; content: string | Uint8Array; problem: string }[] = [
  { file: 'nul.csv', content: csv('READMIT,R\u0000ZA,2024/25 Q1,1,2,,,,,'), problem: 'nul.csv, row 2, column "organisation_code": contains the control character \\u0000 (value "R\\u0000ZA")' },
  { file: 'bell.csv', content: csv('READMIT,RZA,2024/25\u0007Q1,1,2,,,,,'), problem: 'bell.csv, row 2, column "period": contains the control character \\u0007 (value "2024/25\\u0007Q1")' },
  { file: 'nul-figure.csv', content: csv('READMIT,RZA,2024/25 Q1,1\u0000,2,,,,,'), problem: 'nul-figure.csv, row 2, column "numerator": contains the control character \\u0000 (value "1\\u0000")' },
  { file: 'fingertips-nul.csv', content: 'Indicator ID,Area Code,Time period,Value,Count,Denominator\nREADMIT,R\u0000ZA,2024/25 Q1,,1,2\n', problem: 'fingertips-nul.csv, row 2, column "Area Code": contains the control character \\u0000 (value "R\\u0000ZA")' },
  { file: 'shmi-nul.csv', content: 'provider_code,observed,expected,period\nR\u001fZA,10,9.5,2024/25 Q1\n', problem: 'shmi-nul.csv, row 2, column "provider_code": contains the control character \\u001f (value "R\\u001fZA")' },
  { file: 'nul.arrow', content: arrow({ ...keys('R\u0000ZA'), numerator: Float64Array.from([1]), denominator: Float64Array.from([2]) }), problem: 'nul.arrow, row 1, column "organisation_code": contains the control character \\u0000 (value "R\\u0000ZA")' },
  { file: 'nul.parquet', content: parquet([...parquetKeys('R\u0000ZA'), { name: 'numerator', data: [1], type: 'DOUBLE' }, { name: 'denominator', data: [2], type: 'DOUBLE' }]), problem: 'nul.parquet, row 1, column "organisation_code": contains the control character \\u0000 (value "R\\u0000ZA")' },

  { file: 'exponent.csv', content: csv('READMIT,RZA,2024/25 Q1,1e3,2000,,,,,'), problem: 'exponent.csv, row 2, column "numerator": not a plain number: write it without an exponent (e.g. 1000, not 1e3) (value "1e3")' },
  { file: 'fraction.csv', content: csv('READMIT,RZA,2024/25 Q1,1.5,3,,,,,'), problem: 'fraction.csv, row 2, column "numerator": a count must be a whole number (digits only) (value "1.5")' },
  { file: 'fraction-denominator.csv', content: csv('READMIT,RZA,2024/25 Q1,1,3.5,,,,,'), problem: 'fraction-denominator.csv, row 2, column "denominator": a count must be a whole number (digits only) (value "3.5")' },
  { file: 'huge-exponent.csv', content: csv('READMIT,RZA,2024/25 Q1,1,1e21,,,,,'), problem: 'huge-exponent.csv, row 2, column "denominator": not a plain number: write it without an exponent (e.g. 1000, not 1e3) (value "1e21")' },
  { file: 'unsafe.csv', content: csv('READMIT,RZA,2024/25 Q1,1,9007199254740993,,,,,'), problem: 'unsafe.csv, row 2, column "denominator": the count is larger than 9,007,199,254,740,991, the largest count the loader keeps exactly (value "9007199254740993")' },
  { file: 'plus.csv', content: csv('LOS,RZA,2024/25 Q1,,,,,+3,,'), problem: 'plus.csv, row 2, column "value": not a number (write plain digits, with no thousands separators or symbols) (value "+3")' },
  { file: 'bare-point.csv', content: csv('LOS,RZA,2024/25 Q1,,,,,.5,,'), problem: 'bare-point.csv, row 2, column "value": not a number (write plain digits, with no thousands separators or symbols) (value ".5")' },
  { file: 'expected-exponent.csv', content: csv('SHMI,RZA,2024/25 Q1,,,4,1E2,,,'), problem: 'expected-exponent.csv, row 2, column "expected": not a plain number: write it without an exponent (e.g. 1000, not 1e3) (value "1E2")' },
  { file: 'fingertips-exponent.csv', content: 'Indicator ID,Area Code,Time period,Value,Count,Denominator\nREADMIT,RZA,2024/25 Q1,,2e1,40\n', problem: 'fingertips-exponent.csv, row 2, column "Count": not a plain number: write it without an exponent (e.g. 1000, not 1e3) (value "2e1")' },
  { file: 'shmi-fraction.csv', content: 'provider_code,observed,expected,period\nRZA,10.5,9.5,2024/25 Q1\n', problem: 'shmi-fraction.csv, row 2, column "observed": a count must be a whole number (digits only) (value "10.5")' },
  { file: 'bigint.arrow', content: arrow({ ...keys(), numerator: BigInt64Array.from([1n]), denominator: BigInt64Array.from([beyondSafe]) }), problem: `bigint.arrow, row 1, column "denominator": the integer is larger than 9,007,199,254,740,991, the largest count the loader keeps exactly (value "${beyondSafe}")` },
  { file: 'fraction.arrow', content: arrow({ ...keys(), numerator: Float64Array.from([1.5]), denominator: Float64Array.from([3]) }), problem: 'fraction.arrow, row 1, column "numerator": a count must be a whole number (digits only) (value "1.5")' },
  { file: 'bigint.parquet', content: parquet([...parquetKeys(), { name: 'numerator', data: [1n], type: 'INT64' }, { name: 'denominator', data: [beyondSafe], type: 'INT64' }]), problem: `bigint.parquet, row 1, column "denominator": the integer is larger than 9,007,199,254,740,991, the largest count the loader keeps exactly (value "${beyondSafe}")` },
  { file: 'fraction.parquet', content: parquet([...parquetKeys(), { name: 'numerator', data: [1.5], type: 'DOUBLE' }, { name: 'denominator', data: [3], type: 'DOUBLE' }]), problem: 'fraction.parquet, row 1, column "numerator": a count must be a whole number (digits only) (value "1.5")' },
];

describeDatabase('cells: control characters and number forms through every reader', (getDatabase) => {
  const files = temporaryFolder();
  let handle: TestDatabase;
  afterAll(() => files.remove());
  beforeAll(async () => {
    handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
  });

  it.each(cases)('$file', async ({ file, content, problem }) => {
    const before = await databaseFingerprint(handle.db);
    const path = files.write(file, content);
    const refusal = await (async () => loadObservations(handle, await openObservationSource(path), path))().catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LoadRejectedError);
    expect(formatProblem((refusal as LoadRejectedError).problems[0])).toBe(problem);
    expect((refusal as Error).message).not.toContain('\u0000');
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });

  it('loads the largest exact count, a crude rate over fractional person-time and negative plain decimals where a mean allows them', async () => {
    const path = files.write('edges.csv', csv('READMIT,RZB,2023/24 Q4,0,9007199254740991,,,,,', 'LOS,RZB,2023/24 Q4,,,,,-2.5,-3,-2', 'SHMI,RZB,2023/24 Q4,,,0,0.001,,,', 'CDIFF,RZB,2023/24 Q4,11,40125.5,,,,,'));
    expect(await loadObservations(handle, await openObservationSource(path), path)).toMatchObject({ status: 'loaded', rows: 4 });
    const stored = await queryRows<{ code: string; denominator: number | string | null; value: number | string | null }>(
      handle.db,
      sql`select i.code, o.denominator, o.value from observations o join periods p on p.id = o.period_id join indicators i on i.id = o.indicator_id where p.label = '2023/24 Q4' order by i.code`,
    );
    const asNumber = (value: number | string | null) => (value === null ? null : Number(value));
    expect(stored.map((row) => [row.code, asNumber(row.denominator), asNumber(row.value)])).toEqual([
      ['CDIFF', 40125.5, null],
      ['LOS', null, -2.5],
      ['READMIT', 9007199254740991, null],
      ['SHMI', null, null],
    ]);
  });
});
