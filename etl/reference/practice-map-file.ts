import { basename } from 'node:path';
import { openCsv } from '../csv/csv-records';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { resolveColumns, type ColumnSpec } from '../sources/columns';
import { extractDate } from './published-dates';
import { headedRows } from './headed-rows';
import type { ReferenceSnapshot, SnapshotMembership, SnapshotNetwork, SnapshotOrganisation } from './reference-snapshot';

type Field = 'practice' | 'practiceName' | 'pcn' | 'pcnName' | 'subIcb' | 'subIcbName' | 'icb' | 'icbName' | 'region' | 'regionName' | 'extractDate' | 'other';

// Both published layouts: the January 2022 map (PCN_CODE, CCG_CODE, STP_CODE …) and QOF's (PCN_ODS_CODE …).
const specs: ColumnSpec<Field>[] = [
  { field: 'practice', names: ['PRACTICE_CODE'], required: true },
  { field: 'practiceName', names: ['PRACTICE_NAME'], required: true },
  { field: 'pcn', names: ['PCN_CODE', 'PCN_ODS_CODE'], required: true },
  { field: 'pcnName', names: ['PCN_NAME'], required: true },
  { field: 'subIcb', names: ['CCG_CODE', 'CCG_ODS_CODE'], required: true },
  { field: 'subIcbName', names: ['CCG_NAME'], required: true },
  { field: 'icb', names: ['STP_CODE', 'STP_ODS_CODE'], required: true },
  { field: 'icbName', names: ['STP_NAME'], required: true },
  { field: 'region', names: ['COMM_REGION_CODE', 'REGION_ODS_CODE'], required: true },
  { field: 'regionName', names: ['COMM_REGION_NAME', 'REGION_NAME'], required: true },
  { field: 'extractDate', names: ['EXTRACT_DATE'], required: false },
  // Published columns with nothing to store (ONS codes, the postcode, the country): known, so not refused.
  ...['PUBLICATION', 'PRACTICE_POSTCODE', 'ONS_CCG_CODE', 'CCG_ONS_CODE', 'ONS_STP_CODE', 'STP_ONS_CODE', 'ONS_COMM_REGION_CODE', 'REGION_ONS_CODE', 'NAT_CODE', 'NAT_ONS_CODE', 'NAT_COUNTRY'].map(
    (name) => ({ field: 'other' as const, names: [name], required: false }),
  ),
];

/**
 * Reads a practice → PCN → sub-ICB (CCG) → ICB (STP) → region file. Practices become gp_practice organisations
 * whose parent is their sub-ICB (kind other: a practice's figures add up to its sub-ICB's), the sub-ICB's
 * parent its ICB, the ICB's its region; PCNs and ICBs become networks with the practices as members from the
 * extract date (EXTRACT_DATE, e.g. 01Jan2022), or asOf, which wins.
 */
export async function readPracticeMapFile(path: string, asOf: string | null): Promise<ReferenceSnapshot> {
  const file = basename(path);
  const { header, records } = await openCsv(path);
  const positions = resolveColumns(file, header, specs, { allowUnknown: false });
  const column = (field: Field) => header[positions.get(field)!];
  if (asOf === null && !positions.has('extractDate')) {
    throw new LoadRejectedError(file, [{ file, row: 1, column: 'EXTRACT_DATE', reason: 'the file has no EXTRACT_DATE column: give the date it describes with --as-of YYYY-MM-DD' }]);
  }
  const problems: LoadProblem[] = [];
  const practices: SnapshotOrganisation[] = [];
  const areas = new Map<string, SnapshotOrganisation>();
  const networks = new Map<string, SnapshotNetwork>();
  const memberships: SnapshotMembership[] = [];
  const firstRow = new Map<string, number>();
  for await (const { row, reader } of headedRows(file, header, records, problems)) {
    const text = (field: Field) => reader.text(column(field));
    const [practice, practiceName, pcn, pcnName, subIcb, subIcbName, icb, icbName, region, regionName] = (
      ['practice', 'practiceName', 'pcn', 'pcnName', 'subIcb', 'subIcbName', 'icb', 'icbName', 'region', 'regionName'] as const
    ).map(text);
    // The extract date is checked even when --as-of overrides it: a bad cell is never passed over.
    const published = positions.has('extractDate') ? reader.text(column('extractDate')) : '';
    const extracted = published === '' ? null : extractDate(published);
    if (published !== '' && extracted === null) reader.fail(column('extractDate'), published, 'not a date in the form 01Jan2022');
    const validFrom = asOf ?? extracted;
    if (practice !== '' && firstRow.has(practice)) reader.fail(column('practice'), practice, `a duplicate of row ${firstRow.get(practice)}`);
    else if (practice !== '') firstRow.set(practice, row);
    problems.push(...reader.problems);
    if (reader.problems.length > 0) continue;
    const place = (field: Field) => ({ row, column: column(field) });
    practices.push({ ...place('practice'), code: practice, name: practiceName, kind: 'gp_practice', parentCode: subIcb, openedOn: null, closedOn: null, nameIsPlaceholder: false });
    // The first row to name a code names it (the QOF file gives one PCN two spellings).
    const area = (field: Field, code: string, name: string, kind: SnapshotOrganisation['kind'], parentCode: string | null) => {
      if (!areas.has(code)) areas.set(code, { ...place(field), code, name, kind, parentCode, openedOn: null, closedOn: null, nameIsPlaceholder: false });
    };
    area('region', region, regionName, 'region', null);
    area('icb', icb, icbName, 'icb', region);
    area('subIcb', subIcb, subIcbName, 'other', icb);
    for (const [field, code, name, kind] of [['pcn', pcn, pcnName, 'primary_care_network'], ['icb', icb, icbName, 'icb']] as const) {
      if (!networks.has(code)) networks.set(code, { ...place(field), code, name, kind, nameIsPlaceholder: false });
      memberships.push({ ...place(field), organisationCode: practice, networkCode: code, kind, validFrom: validFrom!, validTo: null });
    }
  }
  if (practices.length === 0 && problems.length === 0) problems.push({ file, row: 0, reason: 'the file has no rows to load' });
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return { file, organisations: [...areas.values(), ...practices], networks: [...networks.values()], memberships };
}
