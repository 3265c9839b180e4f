import { basename } from 'node:path';
import { openCsv } from '../csv/csv-records';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { resolveColumns, type ColumnSpec } from '../sources/columns';
import { headedRows } from './headed-rows';
import type { ReferenceSnapshot, SnapshotMembership, SnapshotNetwork, SnapshotOrganisation } from './reference-snapshot';

type Field = 'region' | 'trust' | 'code' | 'stp' | 'stpCode';

const specs: ColumnSpec<Field>[] = [
  // The region is a name without a code here, so it is read but not stored.
  { field: 'region', names: ['NHS England Region'], required: false },
  { field: 'trust', names: ['Trust'], required: true },
  { field: 'code', names: ['code'], required: true },
  { field: 'stp', names: ['STP'], required: true },
  { field: 'stpCode', names: ['STP_code'], required: true },
];

/**
 * Reads a trust → STP lookup (NHS England Region, Trust, code, STP, STP_code): each STP becomes a network of
 * kind icb, coded by the file's STP_code (ONS E54…), with its trusts as members from asOf. A trust not yet
 * known is created with the file's name; a known one keeps its ODS name.
 */
export async function readTrustMapFile(path: string, asOf: string): Promise<ReferenceSnapshot> {
  const file = basename(path);
  const { header, records } = await openCsv(path);
  const positions = resolveColumns(file, header, specs, { allowUnknown: false });
  const column = (field: Field) => header[positions.get(field)!];
  const problems: LoadProblem[] = [];
  const trusts: SnapshotOrganisation[] = [];
  const networks = new Map<string, SnapshotNetwork>();
  const memberships: SnapshotMembership[] = [];
  const firstRow = new Map<string, number>();
  for await (const { row, reader } of headedRows(file, header, records, problems)) {
    const [name, code, stp, stpCode] = (['trust', 'code', 'stp', 'stpCode'] as const).map((field) => reader.text(column(field)));
    if (code !== '' && firstRow.has(code)) reader.fail(column('code'), code, `a duplicate of row ${firstRow.get(code)}`);
    else if (code !== '') firstRow.set(code, row);
    problems.push(...reader.problems);
    if (reader.problems.length > 0) continue;
    trusts.push({ row, column: column('code'), code, name, kind: 'trust', parentCode: null, openedOn: null, closedOn: null, nameIsPlaceholder: true });
    if (!networks.has(stpCode)) networks.set(stpCode, { row, column: column('stpCode'), code: stpCode, name: stp, kind: 'icb', nameIsPlaceholder: false });
    memberships.push({ row, column: column('stpCode'), organisationCode: code, networkCode: stpCode, kind: 'icb', validFrom: asOf, validTo: null });
  }
  if (trusts.length === 0 && problems.length === 0) problems.push({ file, row: 0, reason: 'the file has no rows to load' });
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return { file, organisations: trusts, networks: [...networks.values()], memberships };
}
