import { basename } from 'node:path';
import { openCsv } from '../csv/csv-records';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { ReferenceRowReader } from '../validate/reference-rows';
import { compactDate, dayAfter } from './published-dates';
import type { ReferenceSnapshot, SnapshotMembership, SnapshotNetwork, SnapshotOrganisation } from './reference-snapshot';

/** The columns read from an ODS organisation file (etr, epraccur …), 1-based as ODS documents them. */
const columns = { code: 1, name: 2, region: 3, icb: 4, openedOn: 11, closedOn: 12 } as const;
const label = (field: keyof typeof columns) => `column ${columns[field]} (${{ code: 'code', name: 'name', region: 'region', icb: 'ICB/STP', openedOn: 'open date', closedOn: 'close date' }[field]})`;

// ODS codes are upper-case letters and digits: 3 for a trust, 5 for the newer codes, 6 for a practice.
const odsCode = /^[A-Z0-9]{3,6}$/;

// NHS England's region codes (Y54-Y57 the commissioning regions before 2018); W00 groups the Welsh trusts.
const regionNames: Record<string, string> = {
  Y54: 'North of England',
  Y55: 'Midlands and East of England',
  Y56: 'London',
  Y57: 'South of England',
  Y58: 'South West',
  Y59: 'South East',
  Y60: 'Midlands',
  Y61: 'East of England',
  Y62: 'North West',
  Y63: 'North East and Yorkshire',
  W00: 'Wales',
};

/** Whether a first row is an ODS file's first record rather than a header: a code, then at least 12 columns. */
export const looksLikeOdsRecord = (fields: readonly string[]) => odsCode.test(fields[0] ?? '') && fields.length >= columns.closedOn;

/**
 * Reads a header-less ODS organisation file as NHS England publishes it. Its rows become trusts; column 3
 * (region) and column 4 (ICB, STP or area team) become organisations of kind region and icb, the ICB's parent
 * its region, and column 4 an ICB network the trust is a member of from asOf (or the trust's open date, if
 * later or no asOf is given) until its close date.
 */
export async function readOdsFile(path: string, asOf: string | null): Promise<ReferenceSnapshot> {
  const file = basename(path);
  const { header: first, records } = await openCsv(path);
  if (!looksLikeOdsRecord(first)) {
    const reason =
      `not an ODS organisation file as published: it has no header, an organisation code in column 1 and at least 12 columns, but this row starts "${first.slice(0, 3).join(',')}"` +
      ' (a file with a header loads with the organisations command)';
    throw new LoadRejectedError(file, [{ file, row: 1, column: label('code'), value: first[0], reason }]);
  }
  const problems: LoadProblem[] = [];
  const trusts: SnapshotOrganisation[] = [];
  const areas = new Map<string, SnapshotOrganisation>();
  const networks = new Map<string, SnapshotNetwork>();
  const memberships: SnapshotMembership[] = [];
  const firstRow = new Map<string, number>();
  const rows = (async function* () {
    yield { row: 1, fields: first };
    yield* records;
  })();
  for await (const { row, fields } of rows) {
    const reader = new ReferenceRowReader(file, row, {});
    const cell = (field: keyof typeof columns) => (fields[columns[field] - 1] ?? '').trim();
    if (fields.length !== first.length) {
      reader.fail(`column ${Math.min(fields.length, first.length) + 1}`, '', `the row has ${fields.length} columns but the first row has ${first.length}`);
      problems.push(...reader.problems);
      continue;
    }
    const code = cell('code');
    const name = cell('name');
    if (code === '') reader.fail(label('code'), code, 'the code is empty');
    else if (!odsCode.test(code)) reader.fail(label('code'), code, 'not an ODS code (3 to 6 capital letters and digits)');
    else if (firstRow.has(code)) reader.fail(label('code'), code, `a duplicate of row ${firstRow.get(code)}`);
    else firstRow.set(code, row);
    if (name === '') reader.fail(label('name'), name, 'the name is empty');
    const date = (field: 'openedOn' | 'closedOn') => {
      const text = cell(field);
      const value = text === '' ? null : compactDate(text);
      if (text !== '' && value === null) reader.fail(label(field), text, 'not a date in the form YYYYMMDD');
      return value;
    };
    const openedOn = date('openedOn');
    const closedOn = date('closedOn');
    if (openedOn && closedOn && closedOn < openedOn) reader.fail(label('closedOn'), cell('closedOn'), 'the close date is before the open date');
    const region = cell('region');
    const icb = cell('icb');
    for (const [field, value] of [['region', region], ['icb', icb]] as const) {
      if (value !== '' && !odsCode.test(value)) reader.fail(label(field), value, 'not an ODS code (3 to 6 capital letters and digits)');
    }
    const validFrom = asOf && openedOn ? (asOf > openedOn ? asOf : openedOn) : (asOf ?? openedOn);
    if (icb !== '' && validFrom === null) reader.fail(label('openedOn'), '', `the open date is empty and no --as-of date is given to date the membership of ${icb}`);
    problems.push(...reader.problems);
    if (reader.problems.length > 0) continue;
    trusts.push({ row, column: label('code'), code, name, kind: 'trust', parentCode: null, openedOn, closedOn, nameIsPlaceholder: false });
    if (region !== '' && !areas.has(region)) {
      areas.set(region, { row, column: label('region'), code: region, name: regionNames[region] ?? `Region ${region}`, kind: 'region', parentCode: null, openedOn: null, closedOn: null, nameIsPlaceholder: true });
    }
    if (icb === '') continue;
    if (!areas.has(icb)) {
      areas.set(icb, { row, column: label('icb'), code: icb, name: `ICB/STP ${icb}`, kind: 'icb', parentCode: region || null, openedOn: null, closedOn: null, nameIsPlaceholder: true });
      networks.set(icb, { row, column: label('icb'), code: icb, name: `ICB/STP ${icb}`, kind: 'icb', nameIsPlaceholder: true });
    }
    memberships.push({ row, column: label('icb'), organisationCode: code, networkCode: icb, kind: 'icb', validFrom: validFrom!, validTo: closedOn && dayAfter(closedOn) });
  }
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return { file, organisations: [...areas.values(), ...trusts], networks: [...networks.values()], memberships };
}

