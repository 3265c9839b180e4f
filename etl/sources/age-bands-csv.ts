import { basename } from 'node:path';
import { openCsv, readCsvHeader } from '../csv/csv-records';
import { LoadRejectedError, ProblemLog } from '../problems';
import { standardiseGroups, type AgeBandGroup, type AgeBandRow } from './age-bands-standardise';
import { resolveColumns, type ColumnSpec } from './columns';
import type { ObservationSource } from './raw-observation';

type AgeBandField =
  | 'indicator' | 'organisation' | 'period' | 'ageBand' | 'sex' | 'events' | 'population'
  | 'standardPopulation' | 'referenceRate' | 'referenceEvents' | 'referencePopulation';

export const ageBandColumns: readonly ColumnSpec<AgeBandField>[] = [
  { field: 'indicator', names: ['indicator_code'], required: true },
  { field: 'organisation', names: ['organisation_code'], required: true },
  { field: 'period', names: ['period'], required: true },
  { field: 'ageBand', names: ['age_band'], required: true },
  { field: 'sex', names: ['sex'], required: false },
  { field: 'events', names: ['events'], required: true },
  { field: 'population', names: ['population'], required: true },
  { field: 'standardPopulation', names: ['standard_population'], required: false },
  { field: 'referenceRate', names: ['reference_rate'], required: false },
  { field: 'referenceEvents', names: ['reference_events'], required: false },
  { field: 'referencePopulation', names: ['reference_population'], required: false },
];

/** Whether a header is the age-band format: an age band with its events and population. */
export const isAgeBandHeader = (names: ReadonlySet<string>) => names.has('age band') && names.has('events') && names.has('population');

export interface AgeBandOptions {
  /** The rate's multiplier for a DSR (per 100 000 by default, as PHE publishes). */
  multiplier?: number;
}

const count = /^\d+$/;
const decimal = /^\d+(\.\d+)?$/;

/**
 * The long age-band format: one row per indicator, organisation, period, age band (and sex), with events and
 * population. Without reference columns each group is a directly standardised rate (ESP2013 by age band, or the
 * row's standard_population); with reference_rate, or reference_events and reference_population, an indirectly
 * standardised ratio's observed and expected counts. Every cell is checked before any group is computed, so a
 * bad cell refuses the file naming its row and column and nothing is loaded.
 */
export async function openAgeBandsCsv(path: string, options: AgeBandOptions = {}): Promise<ObservationSource> {
  const file = basename(path);
  const header = await readCsvHeader(path);
  const positions = resolveColumns(file, header, ageBandColumns, { allowUnknown: false });
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]]));
  const has = (field: AgeBandField) => positions.has(field);
  const problems: string[] = [];
  const isr = has('referenceRate') || has('referenceEvents') || has('referencePopulation');
  if (has('referenceRate') && (has('referenceEvents') || has('referencePopulation'))) problems.push('give reference_rate or reference_events with reference_population, not both');
  if (!has('referenceRate') && has('referenceEvents') !== has('referencePopulation')) problems.push('reference_events and reference_population go together');
  if (isr && has('standardPopulation')) problems.push('standard_population is for a directly standardised rate; a file with reference columns is a ratio');
  if (problems.length > 0) throw new LoadRejectedError(file, problems.map((reason) => ({ file, row: 1, reason })));
  const multiplier = options.multiplier ?? 100_000;
  const method = isr
    ? 'indirectly standardised ratio: expected = Σ reference rate × population (observed and expected stored; Byar’s or exact interval)'
    : `directly standardised rate per ${multiplier.toLocaleString('en-GB')}, Dobson’s 95 % interval, ${has('standardPopulation') ? 'the file’s standard_population' : 'ESP2013 weights'}`;

  async function groups(): Promise<AgeBandGroup[]> {
    const log = new ProblemLog();
    const byKey = new Map<string, AgeBandGroup>();
    for await (const record of (await openCsv(path)).records) {
      if (record.fields.length !== header.length) {
        log.add({ file, row: record.row, reason: `the row has ${record.fields.length} fields but the header has ${header.length}` });
        continue;
      }
      const cell = (field: AgeBandField) => (positions.has(field) ? (record.fields[positions.get(field)!] ?? '').trim() : '');
      let bad = false;
      const problem = (field: AgeBandField, reason: string) => {
        bad = true;
        log.add({ file, row: record.row, column: header[positions.get(field)!], value: cell(field), reason });
      };
      const figure = (field: AgeBandField, what: string, form: RegExp, positive: boolean): number => {
        const text = cell(field);
        if (text === '') problem(field, `the ${what} is missing`);
        else if (/^-/.test(text) && form.test(text.slice(1))) problem(field, `the ${what} is negative`);
        else if (!form.test(text)) problem(field, form === count ? `the ${what} must be a whole number (digits only)` : `the ${what} must be a plain decimal`);
        else if (positive && Number(text) === 0) problem(field, `the ${what} must be greater than zero`);
        return Number(text);
      };
      for (const field of ['indicator', 'organisation', 'period', 'ageBand'] as const) {
        if (cell(field) === '') problem(field, `the ${header[positions.get(field)!]} is empty`);
      }
      const row: AgeBandRow = {
        row: record.row,
        ageBand: cell('ageBand'),
        sex: cell('sex'),
        events: figure('events', 'events count', count, false),
        // A ratio's band may hold nobody (it adds nothing to expected); a DSR divides by each band's population.
        population: figure('population', 'population', decimal, !isr),
        standardPopulation: has('standardPopulation') ? figure('standardPopulation', 'standard population', decimal, false) : undefined,
        referenceRate: has('referenceRate')
          ? figure('referenceRate', 'reference rate', decimal, false)
          : isr
            ? figure('referenceEvents', 'reference events count', count, false) / figure('referencePopulation', 'reference population', decimal, true)
            : undefined,
      };
      if (bad) continue;
      const key = [cell('indicator'), cell('organisation'), cell('period')].join('\u0000');
      const group = byKey.get(key) ?? { indicator: cell('indicator'), organisation: cell('organisation'), period: cell('period'), rows: [] };
      const twin = group.rows.find((other) => other.ageBand === row.ageBand && other.sex === row.sex);
      if (twin) {
        problem('ageBand', `a duplicate of row ${twin.row}: the same indicator, organisation, period, age band${has('sex') ? ' and sex' : ''}`);
        continue;
      }
      group.rows.push(row);
      byKey.set(key, group);
    }
    if (log.any) throw new LoadRejectedError(file, log.problems, log.count);
    return [...byKey.values()];
  }

  // Counted per group (one observation each), after a read.
  let tooFewEvents = 0;
  const tooFewEventsReason = 'a DSR of fewer than 10 events in total (PHE does not calculate one)';
  return {
    format: 'age-bands-csv',
    file,
    columns: { indicator: columns.indicator, organisation: columns.organisation, period: columns.period },
    skippedRows: () => tooFewEvents,
    filters: [`method: ${method}`, ...(isr ? [] : ['a DSR with fewer than 10 events in total is passed over: PHE does not calculate one'])],
    passedOver: () => new Map(tooFewEvents > 0 ? [[tooFewEventsReason, tooFewEvents]] : []),
    async *rows() {
      const computed = standardiseGroups(file, await groups(), { isr, multiplier, columns: { ageBand: header[positions.get('ageBand')!], events: header[positions.get('events')!] } });
      tooFewEvents = computed.tooFewEvents;
      yield* computed.observations;
    },
  };
}
