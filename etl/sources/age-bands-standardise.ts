import { dobsonInterval, europeanStandardPopulation2013 } from '../../api/stats/intervals';
import { isrExpected } from '../../api/stats/standardisation';
import { LoadRejectedError, type LoadProblem } from '../problems';
import type { RawObservation } from './raw-observation';

/** One checked row of the age-band format. */
export interface AgeBandRow {
  row: number;
  ageBand: string;
  sex: string;
  events: number;
  population: number;
  standardPopulation?: number;
  /** Events per person in the reference population (ratios only). */
  referenceRate?: number;
}

/** The rows of one indicator, organisation and period. */
export interface AgeBandGroup {
  indicator: string;
  organisation: string;
  period: string;
  rows: AgeBandRow[];
}

/** "00-04" and "0-4" are the same band; ESP2013 is written without leading zeros. */
const bandLabel = (text: string) => text.replace(/\s+/g, '').replace(/\d+/g, (digits) => String(Number(digits)));
const esp2013 = new Map<string, number>(europeanStandardPopulation2013.map(({ ageBand, population }) => [ageBand, population]));

/**
 * Each group as one observation: a DSR's value and 95 % limits (dobsonInterval) or a ratio's observed and
 * expected counts (isrExpected). A group the method cannot take (a band outside ESP2013, ESP2013's bands not all
 * given) is a problem at the group's first row; any problem refuses the file. A DSR of fewer than 10 events is
 * passed over and counted, as PHE leaves it uncalculated: a national file always has some such areas.
 */
export function standardiseGroups(
  file: string,
  groups: readonly AgeBandGroup[],
  options: { isr: boolean; multiplier: number; columns: { ageBand: string; events: string } },
): { observations: RawObservation[]; tooFewEvents: number } {
  const problems: LoadProblem[] = [];
  let tooFewEvents = 0;
  const observations: RawObservation[] = [];
  for (const group of groups) {
    const first = group.rows[0].row;
    const key = { row: first, indicator: group.indicator, organisation: group.organisation, period: group.period };
    const events = group.rows.reduce((sum, row) => sum + row.events, 0);
    if (options.isr) {
      const expected = isrExpected(group.rows.map((row) => ({ population: row.population, referenceRate: row.referenceRate! })));
      if (expected > 0) observations.push({ ...key, computedKind: 'indirectly_standardised_ratio', measures: { observed: String(events), expected: String(expected) } });
      else problems.push({ file, row: first, column: options.columns.events, reason: `the expected count of ${group.indicator}, ${group.organisation}, ${group.period} is zero: every reference rate is zero` });
      continue;
    }
    const weights = group.rows.map((row) => row.standardPopulation ?? esp2013.get(bandLabel(row.ageBand)));
    const unknown = group.rows.find((_, index) => weights[index] === undefined);
    if (unknown) {
      problems.push({ file, row: unknown.row, column: options.columns.ageBand, value: unknown.ageBand, reason: `not an ESP2013 age band (${[...esp2013.keys()].join(', ')}); give standard_population for another standard` });
      continue;
    }
    const sexes = [...new Set(group.rows.map((row) => row.sex))];
    const missing = group.rows[0].standardPopulation === undefined
      ? sexes.flatMap((sex) => [...esp2013.keys()].filter((band) => !group.rows.some((row) => row.sex === sex && bandLabel(row.ageBand) === band)).map((band) => (sex ? `${band} (${sex})` : band)))
      : [];
    if (missing.length > 0) {
      problems.push({ file, row: first, column: options.columns.ageBand, reason: `${group.indicator}, ${group.organisation}, ${group.period} lacks the ESP2013 age bands ${missing.join(', ')}: a DSR needs every band` });
      continue;
    }
    const dsr = dobsonInterval(group.rows.map((row, index) => ({ count: row.events, population: row.population, standardPopulation: weights[index]! })), options.multiplier, 0.95);
    if (dsr.suppressedReason !== null) {
      tooFewEvents++;
      continue;
    }
    observations.push({ ...key, computedKind: 'directly_standardised_rate', measures: { value: String(dsr.estimate), valueLower: String(dsr.lower), valueUpper: String(dsr.upper) } });
  }
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return { observations, tooFewEvents };
}
