import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { formatProblem, LoadRejectedError } from '../../etl/problems';
import { openObservationSource, type OpenSourceOptions } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

const header = 'indicator_code,organisation_code,period,numerator,denominator,observed,expected,value,value_lower,value_upper';
const good = 'READMIT,RZA,2024/25 Q1,41,512,,,,,';
const csv = (...rows: string[]) => [header, good, ...rows].join('\n') + '\n';

/** Each file is wrong in one way; the first problem the loader reports must be exactly this. */
const cases: { name: string; file: string; content: string | Uint8Array; options?: OpenSourceOptions; error: string }[] = [
  { name: 'an empty file', file: 'empty.csv', content: '', error: 'empty.csv: the file is empty' },
  { name: 'a blank header', file: 'blank.csv', content: ',,\n1,2,3\n', error: 'blank.csv: the header row is blank' },
  { name: 'a header and no rows', file: 'header-only.csv', content: `${header}\n`, error: 'header-only.csv: the file has no rows to load' },
  { name: 'a missing required column', file: 'no-period.csv', content: 'indicator_code,organisation_code,numerator,denominator\nREADMIT,RZA,1,2\n', error: 'no-period.csv, row 1, column "period": the required column "period" is missing' },
  { name: 'a misspelt required column', file: 'misspelt.csv', content: 'indicator_code,organisaton_code,period,numerator,denominator\nREADMIT,RZA,2024/25 Q1,1,2\n', error: 'misspelt.csv, row 1, column "organisation_code": the required column "organisation_code" is missing; is "organisaton_code" a misspelling of it?' },
  { name: 'an abbreviated required column', file: 'org-code.csv', content: 'indicator_code,org_code,period,numerator,denominator\nREADMIT,RZA,2024/25 Q1,1,2\n', error: 'org-code.csv, row 1, column "organisation_code": the required column "organisation_code" is missing; is "org_code" a misspelling of it?' },
  { name: 'an abbreviated optional column', file: 'denom.csv', content: 'indicator_code,organisation_code,period,numerator,denom\nREADMIT,RZA,2024/25 Q1,1,2\n', error: 'denom.csv, row 1, column "denom": unknown column; did you mean "denominator"?' },
  { name: 'a misspelt optional column', file: 'denominatr.csv', content: 'indicator_code,organisation_code,period,numerator,denominatr\nREADMIT,RZA,2024/25 Q1,1,2\n', error: 'denominatr.csv, row 1, column "denominatr": unknown column; did you mean "denominator"?' },
  { name: 'an unknown column', file: 'extra.csv', content: 'indicator_code,organisation_code,period,numerator,denominator,comment\nREADMIT,RZA,2024/25 Q1,1,2,x\n', error: 'extra.csv, row 1, column "comment": unknown column; expected one of indicator_code, organisation_code, period, numerator, denominator, observed, expected, value, value_lower, value_upper' },
  { name: 'a column given twice', file: 'twice.csv', content: 'indicator_code,organisation_code,period,numerator,numerator,denominator\nREADMIT,RZA,2024/25 Q1,1,1,2\n', error: 'twice.csv, row 1, column "numerator": the column appears twice in the header' },
  { name: 'an unknown organisation', file: 'unknown-org.csv', content: csv('READMIT,RZQ,2024/25 Q1,1,2,,,,,'), error: 'unknown-org.csv, row 3, column "organisation_code": unknown organisation; load it with `etl organisations` or pass --create-missing (value "RZQ")' },
  { name: 'an unknown indicator', file: 'unknown-indicator.csv', content: csv('READMITS,RZA,2024/25 Q2,1,2,,,,,'), error: 'unknown-indicator.csv, row 3, column "indicator_code": unknown indicator; load its definition with `etl indicators` first (value "READMITS")' },
  { name: 'an empty indicator code', file: 'no-indicator.csv', content: csv(',RZB,2024/25 Q1,1,2,,,,,'), error: 'no-indicator.csv, row 3, column "indicator_code": the indicator code is empty (value "")' },
  { name: 'an empty organisation code', file: 'no-org.csv', content: csv('READMIT,,2024/25 Q1,1,2,,,,,'), error: 'no-org.csv, row 3, column "organisation_code": the organisation code is empty (value "")' },
  { name: 'an unparseable period', file: 'spring.csv', content: csv('READMIT,RZB,Spring 2024,1,2,,,,,'), error: 'spring.csv, row 3, column "period": the period is not one of the documented forms (e.g. 2024-04, 2024/25 Q1, 2024/25, 2023-07..2024-06) (value "Spring 2024")' },
  { name: 'a month that does not exist', file: 'month13.csv', content: csv('READMIT,RZB,2024-13,1,2,,,,,'), error: 'month13.csv, row 3, column "period": the period is not one of the documented forms (e.g. 2024-04, 2024/25 Q1, 2024/25, 2023-07..2024-06) (value "2024-13")' },
  { name: 'an empty period', file: 'no-period-value.csv', content: csv('READMIT,RZB,,1,2,,,,,'), error: 'no-period-value.csv, row 3, column "period": the period is empty (value "")' },
  { name: 'a number that does not parse', file: 'abc.csv', content: csv('READMIT,RZB,2024/25 Q1,abc,2,,,,,'), error: 'abc.csv, row 3, column "numerator": not a number (write plain digits, with no thousands separators or symbols) (value "abc")' },
  { name: 'a thousands separator', file: 'thousands.csv', content: csv('READMIT,RZB,2024/25 Q1,12,"1,234",,,,,'), error: 'thousands.csv, row 3, column "denominator": not a number (write plain digits, with no thousands separators or symbols) (value "1,234")' },
  { name: 'NaN written out', file: 'nan.csv', content: csv('READMIT,RZB,2024/25 Q1,NaN,2,,,,,'), error: 'nan.csv, row 3, column "numerator": not a number (write plain digits, with no thousands separators or symbols) (value "NaN")' },
  { name: 'a percentage sign', file: 'percent.csv', content: csv('LOS,RZB,2024/25 Q1,,,,,4%,,'), error: 'percent.csv, row 3, column "value": not a number (write plain digits, with no thousands separators or symbols) (value "4%")' },
  { name: 'a negative count', file: 'negative.csv', content: csv('READMIT,RZB,2024/25 Q1,-3,20,,,,,'), error: 'negative.csv, row 3, column "numerator": the numerator count is negative (value "-3")' },
  { name: 'a numerator above its denominator', file: 'over.csv', content: csv('READMIT,RZB,2024/25 Q1,21,20,,,,,'), error: 'over.csv, row 3, column "numerator": the numerator is greater than the denominator (20) for a proportion (value "21")' },
  { name: 'a zero denominator', file: 'zero-denominator.csv', content: csv('CDIFF,RZB,2024/25 Q1,2,0,,,,,'), error: 'zero-denominator.csv, row 3, column "denominator": the denominator must be greater than zero (value "0")' },
  { name: 'a numerator without a denominator', file: 'half.csv', content: csv('READMIT,RZB,2024/25 Q1,2,,,,,,'), error: 'half.csv, row 3, column "denominator": the denominator is missing while the numerator is given (value "")' },
  { name: 'a proportion with no figures', file: 'no-figures.csv', content: csv('READMIT,RZB,2024/25 Q1,,,,,,,'), error: 'no-figures.csv, row 3, column "numerator": a proportion needs a numerator and denominator, or a value (value "")' },
  { name: 'an expected count of zero for a ratio', file: 'expected-zero.csv', content: csv('SHMI,RZB,2024/25 Q1,,,4,0,,,'), error: 'expected-zero.csv, row 3, column "expected": the expected count must be greater than zero for a ratio (value "0")' },
  { name: 'a negative expected count', file: 'expected-negative.csv', content: csv('SHMI,RZB,2024/25 Q1,,,4,-2.5,,,'), error: 'expected-negative.csv, row 3, column "expected": the expected count must be greater than zero for a ratio (value "-2.5")' },
  { name: 'a negative observed count', file: 'observed-negative.csv', content: csv('SHMI,RZB,2024/25 Q1,,,-4,2.5,,,'), error: 'observed-negative.csv, row 3, column "observed": the observed count is negative (value "-4")' },
  { name: 'an observed count without its expected', file: 'observed-only.csv', content: csv('SHMI,RZB,2024/25 Q1,,,4,,,,'), error: 'observed-only.csv, row 3, column "expected": the expected count is missing while the observed is given (value "")' },
  { name: 'a mean without a value', file: 'mean.csv', content: csv('LOS,RZB,2024/25 Q1,,120,,,,,'), error: 'mean.csv, row 3, column "value": a mean needs a value (value "")' },
  { name: 'a value below its lower limit', file: 'below.csv', content: csv('LOS,RZB,2024/25 Q1,,,,,3.1,3.5,4.5'), error: 'below.csv, row 3, column "value": the value is below its lower limit (value "3.1")' },
  { name: 'limits the wrong way round', file: 'limits.csv', content: csv('LOS,RZB,2024/25 Q1,,,,,4,4.5,3.5'), error: 'limits.csv, row 3, column "value_lower": the lower limit is above the upper limit (value "4.5")' },
  { name: 'a negative directly standardised rate', file: 'dsr.csv', content: csv('90360,RZB,2024/25 Q1,,,,,-1,,'), error: 'dsr.csv, row 3, column "value": a rate cannot be negative (value "-1")' },
  { name: 'a duplicate key in the file', file: 'duplicate.csv', content: csv('READMIT,RZB,2024/25 Q1,1,2,,,,,', 'READMIT,RZA,2024/25  Q1,3,4,,,,,'), error: 'duplicate.csv, row 4, column "organisation_code": a duplicate of row 2: the same indicator, organisation and period (value "RZA")' },
  { name: 'a row with too many fields', file: 'fields.csv', content: csv('READMIT,RZB,2024/25 Q1,1,2,,,,,,extra'), error: 'fields.csv, row 3: the row has 11 fields but the header has 10' },
  { name: 'a quoted field left open', file: 'open-quote.csv', content: csv('READMIT,"RZB,2024/25 Q1,1,2,,,,,'), error: 'open-quote.csv, row 3: a quoted field is not closed before the end of the file' },
  { name: 'a UTF-16 byte-order mark', file: 'utf16.csv', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv(), 'utf16le')]), error: 'utf16.csv: the file starts with a UTF-16 byte-order mark; save it as UTF-8 (CSV UTF-8 in Excel)' },
  { name: 'Windows-1252 bytes, not UTF-8', file: 'latin1.csv', content: Buffer.from(csv('READMIT,RZB,2024/25 Q1,1,2,,,,,').replace('RZB', 'RZ\u00e9'), 'latin1'), error: 'latin1.csv, row 3: the text is not valid UTF-8 (perhaps Windows-1252 or Latin-1); save the file as UTF-8' },
  { name: 'a row number after a quoted line break', file: 'multiline.csv', content: `${header}\n"READMIT",RZA,2024/25 Q1,1,2,,,,,\n"READ\nMIT",RZB,2024/25 Q1,1,2,,,,,\nREADMIT,RZC,2024/25 Q1,x,2,,,,,\n`, error: 'multiline.csv, row 3, column "indicator_code": unknown indicator; load its definition with `etl indicators` first (value "READ\nMIT")' },
  { name: 'a file that is not Arrow', file: 'fake.arrow', content: 'indicator_code,organisation_code\n', error: 'fake.arrow: not an Apache Arrow IPC or Feather (v2) file: it does not start with the Arrow magic bytes' },
  { name: 'a file that is not Parquet', file: 'fake.parquet', content: 'indicator_code,organisation_code\n', error: 'fake.parquet: not a readable Parquet file (parquet file invalid (footer != PAR1))' },
  { name: 'a Fingertips export without its time period', file: 'fingertips.csv', content: 'Indicator ID,Area Code,Value,Count,Denominator\n90360,RZA,1,2,3\n', error: 'fingertips.csv, row 1, column "Time period": the required column "Time period" is missing' },
  { name: 'a SHMI file with no period given', file: 'shmi.csv', content: 'provider_code,observed,expected\nRZA,10,9.5\n', error: 'shmi.csv, row 2, column "period": the period is empty (value "")' },
];

describeDatabase('ETL refuses malformed files and leaves the database as it was', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  let handle: TestDatabase;

  beforeAll(async () => {
    handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
    await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']));
    await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    const path = files.write('existing.csv', `${header}\nREADMIT,RZA,2023/24 Q1,5,50,,,,,\n`);
    await loadObservations(handle, await openObservationSource(path), path);
  });

  it('has at least 30 distinct malformed files', () => {
    expect(new Set(cases.map((c) => c.error)).size).toBeGreaterThanOrEqual(30);
  });

  it.each(cases)('$name', async ({ file, content, options, error }) => {
    const before = await databaseFingerprint(handle.db);
    const path = files.write(file, content);
    const attempt = (async () => loadObservations(handle, await openObservationSource(path, options), path))();
    const rejection = await attempt.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(rejection).toBeInstanceOf(LoadRejectedError);
    expect(formatProblem((rejection as LoadRejectedError).problems[0])).toBe(error);
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });

  it('refuses a malformed reference file naming its row, column and reason', async () => {
    const before = await databaseFingerprint(handle.db);
    const path = files.write('bad-indicators.csv', 'code,name,domain,measure_kind,polarity,multiplier,unit\nX1,Thing,Domain,ratio,lower,0,%\n');
    await expect(loadIndicators(handle, path)).rejects.toThrow(
      [
        'bad-indicators.csv: 3 problems, nothing was loaded',
        '  bad-indicators.csv, row 2, column "measure_kind": must be one of proportion, crude_rate, indirectly_standardised_ratio, directly_standardised_rate, mean (value "ratio")',
        '  bad-indicators.csv, row 2, column "polarity": must be one of higher_is_better, lower_is_better, no_judgement (value "lower")',
        '  bad-indicators.csv, row 2, column "multiplier": must be greater than zero (value "0")',
      ].join('\n'),
    );
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });
});
