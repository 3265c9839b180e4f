import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findIndicator } from '../../api/queries/catalogue.queries';
import { disclosedRows } from '../../api/queries/disclosure.queries';
import { measureFigures } from '../../api/queries/observations.queries';
import { schema } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';

const { observations, organisations, periods } = schema;

// The ICB QZZ holds trust RZA, whose two sites RZA01 and RZA02 are each counted in RZA's figures.
const organisationsCsv = [
  'code,name,kind,parent_code,opened_on,closed_on',
  'QZZ,Test ICB,icb,,,',
  'RZA,Alpha Hospitals NHS Trust,trust,QZZ,,',
  'RZA01,Alpha North site,site,RZA,,',
  'RZA02,Alpha South site,site,RZA,,',
  'RZB,Beta Healthcare NHS Trust,trust,QZZ,,',
  'RZC,Gamma NHS Foundation Trust,trust,QZZ,,',
].join('\n');

const readmissions = [
  'indicator_code,organisation_code,period,numerator,denominator',
  // Q1: RZA01's 3 is small, so RZA (3 + 40) and QZZ, which hold it, are withheld too; RZC's complement is 96 − 92 = 4.
  'READMIT,RZA01,2024/25 Q1,3,100',
  'READMIT,RZA02,2024/25 Q1,40,100',
  'READMIT,RZA,2024/25 Q1,43,200',
  'READMIT,QZZ,2024/25 Q1,185,500',
  'READMIT,RZB,2024/25 Q1,50,100',
  'READMIT,RZC,2024/25 Q1,96,100',
  // Q2 does not overlap Q1: nothing small, nothing withheld.
  'READMIT,RZA01,2024/25 Q2,30,100',
  'READMIT,RZA02,2024/25 Q2,40,100',
  'READMIT,RZA,2024/25 Q2,70,200',
  'READMIT,QZZ,2024/25 Q2,190,500',
  'READMIT,RZB,2024/25 Q2,20,100',
  'READMIT,RZC,2024/25 Q2,0,100',
  // RZB's Q3 is small, so its year (which holds Q3) is withheld; its 2023/24 year does not overlap.
  'READMIT,RZB,2024/25 Q3,2,100',
  'READMIT,RZB,2024/25,100,400',
  'READMIT,RZB,2023/24,90,400',
].join('\n');

const ratios = ['indicator_code,organisation_code,period,observed,expected', 'SHMI,RZA,2024/25 Q1,4,6.5', 'SHMI,RZB,2024/25 Q1,40,38.5'].join('\n');

describeDatabase('disclosedRows', (getDatabase) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());
  let handle: TestDatabase;

  beforeAll(async () => {
    handle = getDatabase();
    await loadOrganisations(handle, files.write('organisations.csv', organisationsCsv));
    await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    for (const [name, content] of [['readmissions.csv', readmissions], ['ratios.csv', ratios]]) {
      const path = files.write(name, content);
      expect(await loadObservations(handle, await openObservationSource(path), path)).toMatchObject({ status: 'loaded', rejectedRows: 0 });
    }
  });

  /** The stored cells of an indicator, optionally only some organisations' and periods'. */
  async function stored(indicatorCode: string, codes?: string[], labels?: string[]) {
    const indicator = await findIndicator(handle.db, indicatorCode);
    const rows = await handle.db
      .select({ organisationId: organisations.id, code: organisations.code, period: periods.label, startDate: periods.startDate, endDate: periods.endDate, ...measureFigures })
      .from(observations)
      .innerJoin(organisations, eq(organisations.id, observations.organisationId))
      .innerJoin(periods, eq(periods.id, observations.periodId))
      .where(and(eq(observations.indicatorId, indicator.id), codes ? inArray(organisations.code, codes) : undefined, labels ? inArray(periods.label, labels) : undefined))
      .orderBy(asc(periods.startDate), asc(periods.endDate), asc(organisations.code));
    return { indicator, rows };
  }

  async function withheld(indicatorCode: string, threshold: number, codes?: string[], labels?: string[]) {
    const { indicator, rows } = await stored(indicatorCode, codes, labels);
    const disclosed = await disclosedRows(handle.db, indicator, rows, threshold);
    return disclosed.filter((row) => row.suppressed).map((row) => `${row.code} ${row.period}`);
  }

  it('withholds small counts and the cells that hold them, at the default threshold of 5', async () => {
    expect(await withheld('READMIT', 5)).toEqual(['QZZ 2024/25 Q1', 'RZA 2024/25 Q1', 'RZA01 2024/25 Q1', 'RZC 2024/25 Q1', 'RZB 2024/25', 'RZB 2024/25 Q3']);
  });

  it('withholds a proportion whose complement (denominator − numerator) is small, but not a zero count', async () => {
    expect(await withheld('READMIT', 5, ['RZC'])).toEqual(['RZC 2024/25 Q1']);
  });

  it('withholds a small observed count of a ratio', async () => {
    expect(await withheld('SHMI', 5)).toEqual(['RZA 2024/25 Q1']);
  });

  it("withholds a trust's cell holding a small site count in that period only, even when the sites' rows are not asked for", async () => {
    expect(await withheld('READMIT', 5, ['RZA'])).toEqual(['RZA 2024/25 Q1']);
    expect(await withheld('READMIT', 5, ['RZA'], ['2024/25 Q2'])).toEqual([]);
    expect(await withheld('READMIT', 5, ['RZA02'])).toEqual([]);
  });

  it('withholds a financial year when one of its quarters is suppressed, and not a year that does not overlap it', async () => {
    expect(await withheld('READMIT', 5, ['RZB'], ['2024/25', '2023/24'])).toEqual(['RZB 2024/25']);
  });

  it('keeps identity and withholds every figure of a withheld cell, and passes published cells unchanged', async () => {
    const { indicator, rows } = await stored('READMIT', ['RZA'], ['2024/25 Q1', '2024/25 Q2']);
    const [q1, q2] = await disclosedRows(handle.db, indicator, rows, 5);
    expect(q1).toEqual({ ...rows[0], numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: true });
    expect(q2).toEqual({ ...rows[1], suppressed: false });
    expect(q2).toMatchObject({ numerator: 70, denominator: 200 });
  });

  it('follows the threshold: at 3 only counts of 1 and 2 are withheld', async () => {
    expect(await withheld('READMIT', 3)).toEqual(['RZB 2024/25', 'RZB 2024/25 Q3']);
  });

  it('withholds nothing at threshold 0', async () => {
    const { indicator, rows } = await stored('READMIT');
    expect(await disclosedRows(handle.db, indicator, rows, 0)).toEqual(rows.map((row) => ({ ...row, suppressed: false })));
  });
});
