import { basename } from 'node:path';
import { openCsv, readCsvHeader } from '../csv/csv-records';
import { parsePeriod, periodProblem } from '../periods/parse-period';
import { LoadRejectedError, ProblemLog } from '../problems';
import { resolveColumns, type ColumnSpec } from './columns';
import type { ObservationSource, RawObservation } from './raw-observation';

type AeField = 'period' | 'organisation' | 'type' | 'attendances' | 'breaches';

const aeColumns: readonly ColumnSpec<AeField>[] = [
  { field: 'period', names: ['period'], required: true },
  { field: 'organisation', names: ['org_code'], required: true },
  { field: 'type', names: ['type'], required: true },
  { field: 'attendances', names: ['attendances'], required: true },
  { field: 'breaches', names: ['breaches'], required: true },
];

export const aeIndicators = { allTypes: 'AE-4H', type1: 'AE-4H-T1' } as const;
const aeTypes = new Set(['1', '2', 'other']);

/** Whether a header is NHS England's A&E attendances by provider: a code and either count, so a renamed column is still told. */
export const isAeHeader = (names: ReadonlySet<string>) => names.has('org code') && (names.has('attendances') || names.has('breaches'));

interface Tally {
  row: number;
  organisation: string;
  period: string;
  attendances: number;
  breaches: number;
}

const observation = (indicator: string, tally: Tally): RawObservation => ({
  row: tally.row,
  indicator,
  organisation: tally.organisation,
  period: tally.period,
  measures: { numerator: String(tally.attendances - tally.breaches), denominator: String(tally.attendances) },
});

/**
 * NHS England's A&E attendances and emergency admissions by provider and month (period, org_code, type,
 * attendances, breaches): AE-4H, the share of all attendances (types 1, 2 and other together) within
 * 4 hours, Σ(attendances − breaches) / Σ attendances, and AE-4H-T1, the same for type 1 alone. A provider's
 * month sums several rows, so every cell is checked here, before any sum: a bad cell refuses the file naming
 * its row and column. Rows with no attendances are passed over and counted; admissions are not used.
 */
export async function openAeCsv(path: string): Promise<ObservationSource> {
  const file = basename(path);
  const header = await readCsvHeader(path);
  const positions = resolveColumns(file, header, aeColumns, { allowUnknown: true });
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]]));
  const passedOver = new Map<string, number>();

  async function tallies(): Promise<Tally[][]> {
    passedOver.clear();
    const log = new ProblemLog();
    const allTypes = new Map<string, Tally>();
    const type1: Tally[] = [];
    const firstRow = new Map<string, number>();
    for await (const record of (await openCsv(path)).records) {
      const cell = (field: AeField) => (record.fields[positions.get(field)!] ?? '').trim();
      const problem = (field: AeField, reason: string) => log.add({ file, row: record.row, column: header[positions.get(field)!], value: cell(field), reason });
      if (record.fields.length !== header.length) {
        log.add({ file, row: record.row, reason: `the row has ${record.fields.length} fields but the header has ${header.length}` });
        continue;
      }
      const period = parsePeriod(cell('period'), { dates: 'month' });
      if (!period) problem('period', cell('period') === '' ? 'the period is empty' : periodProblem(cell('period'), { dates: 'month' }));
      if (cell('organisation') === '') problem('organisation', 'the organisation code is empty');
      if (!aeTypes.has(cell('type'))) problem('type', 'the type must be 1, 2 or other');
      const [attendances, breaches] = (['attendances', 'breaches'] as const).map((field) => {
        if (/^\d+$/.test(cell(field)) && Number(cell(field)) <= Number.MAX_SAFE_INTEGER) return Number(cell(field));
        problem(field, 'a count must be a whole number (digits only)');
        return undefined;
      });
      if (attendances !== undefined && breaches !== undefined && breaches > attendances) problem('breaches', `the breaches are more than the attendances (${attendances})`);
      if (!period || attendances === undefined || breaches === undefined || breaches > attendances || cell('organisation') === '' || !aeTypes.has(cell('type'))) continue;
      const key = `${period.label}|${cell('organisation')}`;
      const earlier = firstRow.get(`${key}|${cell('type')}`);
      if (earlier !== undefined) {
        problem('type', `a duplicate of row ${earlier}: the same period, organisation and type`);
        continue;
      }
      firstRow.set(`${key}|${cell('type')}`, record.row);
      if (attendances === 0) {
        passedOver.set('no attendances (0)', (passedOver.get('no attendances (0)') ?? 0) + 1);
        continue;
      }
      const tally = allTypes.get(key) ?? { row: record.row, organisation: cell('organisation'), period: period.label, attendances: 0, breaches: 0 };
      allTypes.set(key, { ...tally, attendances: tally.attendances + attendances, breaches: tally.breaches + breaches });
      if (cell('type') === '1') type1.push({ row: record.row, organisation: cell('organisation'), period: period.label, attendances, breaches });
    }
    if (log.any) throw new LoadRejectedError(file, log.problems, log.count);
    return [[...allTypes.values()], type1];
  }

  return {
    format: 'ae-csv',
    file,
    columns,
    skippedRows: () => [...passedOver.values()].reduce((sum, rows) => sum + rows, 0),
    passedOver: () => passedOver,
    filters: [
      `${aeIndicators.allTypes}: all types (1, 2, other) together, within 4 hours = Σ(attendances − breaches) / Σ attendances`,
      `${aeIndicators.type1}: type 1 only`,
      'period: the first of a month stands for that month (2019-03-01 is 2019-03)',
      'admissions not used',
    ],
    async *rows() {
      const [allTypes, type1] = await tallies();
      for (const tally of allTypes) yield observation(aeIndicators.allTypes, tally);
      for (const tally of type1) yield observation(aeIndicators.type1, tally);
    },
  };
}
