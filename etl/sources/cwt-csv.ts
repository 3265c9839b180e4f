import { basename } from 'node:path';
import { readCsvHeader } from '../csv/csv-records';
import { parsePeriod, periodProblem } from '../periods/parse-period';
import { LoadRejectedError } from '../problems';
import { normaliseColumnName, type ColumnSpec } from './columns';
import { csvObservationSource } from './csv-source';
import type { ObservationField, ObservationSource } from './raw-observation';

type Standard = 'FDS' | '31D' | '62D';
type CwtField = ObservationField | 'cancerType' | 'route' | 'modality';

/** NHS England's standards as our indicator codes (proportions: Within / Total, higher is better). */
export const cwtIndicators: Record<Standard, string> = { FDS: 'CWT-FDS28', '31D': 'CWT-31D', '62D': 'CWT-62D' };
/** The all-routes row of each standard: the 31-day standard splits by treatment stage, the others by referral route. */
const allRoutes: Record<Standard, string> = { FDS: 'ALL ROUTES', '31D': 'ALL STAGES', '62D': 'ALL ROUTES' };
/** The per-standard files name their standard only in their day columns (WITHIN 62 DAYS, AFTER 62 DAYS). */
const standardOfDays: Record<string, Standard> = { 28: 'FDS', 31: '31D', 62: '62D' };

// The 2026 combined extract: every standard in one file, with a Standard and a Treatment Modality column.
const combinedColumns: readonly ColumnSpec<CwtField>[] = [
  { field: 'organisation', names: ['Org Code'], required: true },
  { field: 'organisationName', names: ['Org Name'], required: true },
  { field: 'indicator', names: ['Standard'], required: true },
  { field: 'cancerType', names: ['Cancer Type'], required: true },
  { field: 'route', names: ['Referral Route/Stage'], required: true },
  { field: 'modality', names: ['Treatment Modality'], required: true },
  { field: 'denominator', names: ['Total'], required: true },
  { field: 'numerator', names: ['Within'], required: true },
];

// The per-standard files (April 2025): one standard a file; the 28-day file has no Cancer Type column.
const perStandardColumns = (days: string): readonly ColumnSpec<CwtField>[] => [
  { field: 'organisation', names: ['ODS CODE'], required: true },
  { field: 'organisationName', names: ['ACCOUNTABLE PROVIDER'], required: true },
  { field: 'cancerType', names: ['CANCER TYPE'], required: false },
  { field: 'route', names: days === '31' ? ['TREATMENT STAGE', 'REFERRAL ROUTE'] : ['REFERRAL ROUTE', 'TREATMENT STAGE'], required: true },
  { field: 'denominator', names: ['TOTAL'], required: true },
  { field: 'numerator', names: [`WITHIN ${days} DAYS`], required: true },
];

/** The day count of a per-standard file's header: the n with both WITHIN n DAYS and AFTER n DAYS. */
function perStandardDays(names: ReadonlySet<string>): string | undefined {
  const days = Object.keys(standardOfDays).filter((n) => names.has(`within ${n} days`) && names.has(`after ${n} days`));
  return days.length === 1 ? days[0] : undefined;
}

/**
 * Whether a header is a CWT provider extract, in either layout: by its code and standard or provider columns
 * alone, so a file with a figure column renamed still reaches this reader and is told which column is missing.
 */
export const isCwtHeader = (names: ReadonlySet<string>) => (names.has('org code') && names.has('standard')) || (names.has('ods code') && names.has('accountable provider'));

export interface CwtOptions {
  /** The period, when the file name does not carry it (cwt_2026-01_…); given, it wins over the name. */
  period?: string;
}

const refused = (file: string, reason: string) => new LoadRejectedError(file, [{ file, row: 0, reason }]);

/** The period label and where it came from: --period, else the file name's cwt_YYYY-MM_. A month is labelled 2026-01. */
function cwtPeriod(file: string, given: string | undefined): { label: string; note: string } {
  const fromName = /^cwt_(\d{4}-\d{2})_/i.exec(file)?.[1];
  const text = given ?? fromName;
  if (text === undefined) {
    throw refused(file, 'a cancer waiting times extract has no period column; give --period (e.g. 2026-01) or name the file cwt_YYYY-MM_…');
  }
  const parsed = parsePeriod(text);
  if (!parsed) throw refused(file, `the period "${text}" ${given === undefined ? 'in the file name' : 'given with --period'}: ${periodProblem(text)}`);
  const label = parsed.granularity === 'month' ? parsed.startDate.slice(0, 7) : parsed.label;
  return { label, note: `period ${label}, ${given === undefined ? 'from the file name' : 'from --period'}` };
}

const same = (cell: string | undefined, wanted: string) => (cell ?? '').trim().toUpperCase() === wanted;

/**
 * An NHS England Cancer Waiting Times provider extract, as one batch of CWT-FDS28, CWT-31D and CWT-62D
 * (Within / Total). Only each standard's headline row is kept: ALL CANCERS, all routes (ALL STAGES for 31D)
 * and, in the combined file, ALL MODALITIES (31D, 62D) or no modality (FDS); England's Total rows and every
 * breakdown are passed over and counted by reason. Counts may be halves, as published.
 */
export async function openCwtCsv(path: string, options: CwtOptions = {}): Promise<ObservationSource> {
  const file = basename(path);
  const names = new Set((await readCsvHeader(path)).map(normaliseColumnName));
  if (names.has('system') && !names.has('org name')) {
    throw refused(file, 'a system-level extract (ICBs and commissioning hubs), not providers; load the provider-level file');
  }
  const period = cwtPeriod(file, options.period);
  const days = names.has('standard') ? undefined : perStandardDays(names);
  if (!names.has('standard') && days === undefined) {
    throw refused(file, 'a per-standard file needs its WITHIN n DAYS and AFTER n DAYS columns (n = 28, 31 or 62) to say which standard it reports');
  }
  const fixedStandard = days === undefined ? undefined : standardOfDays[days];
  const specs = fixedStandard === undefined ? combinedColumns : perStandardColumns(days!);
  const source = await csvObservationSource(path, 'cwt-csv', specs, { allowUnknown: true }, (record, cell) => {
    const code = cell('organisation') ?? '';
    if (code.trim() === 'Total') return "England's Total row";
    const standard = fixedStandard ?? (cell('indicator') ?? '').trim().toUpperCase();
    if (cell('cancerType') !== undefined && !same(cell('cancerType'), 'ALL CANCERS')) return 'a single cancer type (not ALL CANCERS)';
    if (standard in allRoutes) {
      const known = standard as Standard;
      if (!same(cell('route'), allRoutes[known])) return `a single referral route or treatment stage (not ${allRoutes[known]})`;
      const allModalities = known === 'FDS' ? '' : 'ALL MODALITIES';
      if (cell('modality') !== undefined && !same(cell('modality'), allModalities)) return `a single treatment modality (not ${allModalities || 'blank, for FDS'})`;
    }
    return {
      row: record.row,
      // An unknown standard stays as written, so the loader refuses it naming the row and the Standard column.
      indicator: cwtIndicators[standard as Standard] ?? standard,
      organisation: code,
      organisationName: cell('organisationName'),
      period: period.label,
      measures: { numerator: cell('numerator') ?? null, denominator: cell('denominator') ?? null },
    };
  });
  const standards = fixedStandard === undefined ? (['FDS', '31D', '62D'] as const) : [fixedStandard];
  return {
    ...source,
    filters: [
      `standards: ${standards.map((standard) => `${standard} as ${cwtIndicators[standard]}`).join(', ')} (Within / Total)`,
      names.has('cancer type') ? 'cancer type: ALL CANCERS' : 'cancer type: the file has no Cancer Type column (all cancers)',
      `route or stage: ${standards.map((standard) => `${allRoutes[standard]} (${standard})`).join(', ')}`,
      ...(fixedStandard === undefined ? ['treatment modality: ALL MODALITIES (31D, 62D), blank (FDS)'] : []),
      "England's Total rows dropped",
      period.note,
      'counts may be halves: a treatment shared by two providers counts 0.5 to each, as NHS England publishes',
    ],
    halfCounts: true,
  };
}
