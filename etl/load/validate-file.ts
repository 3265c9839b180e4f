import type { Database } from '../../db';
import { parsePeriod, type ParsedPeriod } from '../periods/parse-period';
import { LoadRejectedError, ProblemLog, type LoadProblem } from '../problems';
import { silentProgress, type Progress } from '../progress';
import type { ObservationSource, RawObservation } from '../sources/raw-observation';
import { validateObservation, type ValidObservation, type ValidationContext } from '../validate/observation-row';
import { KeyTable } from './key-table';
import { readLookups, type Lookups } from './lookups';

export interface ValidateFileOptions {
  /** Create organisations the file names but the database lacks (kind "other"), instead of refusing them. */
  createMissingOrganisations?: boolean;
  progress?: Progress;
  /** Told of every refused row with its problems (the loader's rejects file). */
  onRejectedRow?: (raw: RawObservation, problems: LoadProblem[]) => void;
  /** The reference tables' codes and ids, when the caller has read them already. */
  lookups?: Lookups;
  /** Told of every row that will load, in file order (the loader spools them for its COPY). */
  onValidRow?: (observation: ValidObservation) => void | Promise<void>;
}

/** What reading and checking a whole observation file found, before anything is written. */
export interface ValidatedFile {
  context: ValidationContext;
  lookups: Lookups;
  periodOf(label: string): ParsedPeriod | undefined;
  log: ProblemLog;
  rejectedRows: Set<number>;
  validRows: number;
  /** The (indicator, period) slices the file revises, keyed `indicatorId|periodLabel`. */
  revisedSlices: Map<string, { indicatorId: number; periodLabel: string }>;
  /** Codes the database lacks (with createMissingOrganisations), with the name the file gives. */
  newOrganisations: Map<string, string>;
}

/** Dense local indices, so the key of a row is one number and a million keys stay small in memory. */
class Indexer<Key> {
  private readonly map = new Map<Key, number>();
  index(key: Key): number {
    let index = this.map.get(key);
    if (index === undefined) this.map.set(key, (index = this.map.size));
    return index;
  }
}

/**
 * The loader's first pass, shared with the upload preview so the two cannot disagree: reads and validates
 * every row (each row alone, then duplicate keys across the file) and writes nothing. A problem with the
 * file as a whole (its header, a row of the wrong width, its encoding) is thrown as LoadRejectedError.
 */
export async function validateFile(db: Database, source: ObservationSource, options: ValidateFileOptions = {}): Promise<ValidatedFile> {
  const progress = options.progress ?? silentProgress;
  const lookups = options.lookups ?? (await readLookups(db));
  const parsedPeriods = new Map<string, ParsedPeriod | undefined>();
  const periodOf = (label: string) => {
    if (!parsedPeriods.has(label)) parsedPeriods.set(label, parsePeriod(label));
    return parsedPeriods.get(label);
  };
  const context: ValidationContext = {
    file: source.file,
    columns: source.columns,
    indicators: lookups.indicators,
    isKnownOrganisation: (code) => lookups.organisations.has(code),
    createMissingOrganisations: options.createMissingOrganisations ?? false,
    isValidPeriod: (label) => periodOf(label) !== undefined,
    halfCounts: source.halfCounts ?? false,
  };
  const log = new ProblemLog();
  const rejectedRows = new Set<number>();
  const firstRowOfKey = new KeyTable();
  const indicatorIndex = new Indexer<number>();
  const organisationIndex = new Indexer<string>();
  const periodIndex = new Indexer<string>();
  const revisedSlices = new Map<string, { indicatorId: number; periodLabel: string }>();
  const newOrganisations = new Map<string, string>();
  let validRows = 0;
  progress.start(`validating ${source.file}`);
  for await (const raw of source.rows()) {
    progress.advance(1);
    const result = validateObservation(raw, context);
    let problems = 'problems' in result ? result.problems : [];
    if ('observation' in result) {
      const { indicatorId, organisationCode, periodLabel } = result.observation;
      const key = (indicatorIndex.index(indicatorId) * 16384 + periodIndex.index(periodLabel)) * 2 ** 26 + organisationIndex.index(organisationCode);
      const earlier = firstRowOfKey.setIfAbsent(key, raw.row);
      if (earlier !== undefined) {
        problems = [{ file: source.file, row: raw.row, column: source.columns.organisation, value: organisationCode, reason: `a duplicate of row ${earlier}: the same indicator, organisation and period` }];
      } else {
        revisedSlices.set(`${indicatorId}|${periodLabel}`, { indicatorId, periodLabel });
        if (!lookups.organisations.has(organisationCode)) newOrganisations.set(organisationCode, result.observation.organisationName ?? organisationCode);
        validRows++;
        const spooled = options.onValidRow?.(result.observation);
        if (spooled) await spooled;
      }
    }
    if (problems.length > 0) {
      problems.forEach((problem) => log.add(problem));
      rejectedRows.add(raw.row);
      options.onRejectedRow?.(raw, problems);
    }
  }
  progress.finish();
  return { context, lookups, periodOf, log, rejectedRows, validRows, revisedSlices, newOrganisations };
}

/**
 * Why a validated file cannot be loaded, or undefined when it can: any problem refuses the whole file unless
 * a partial load was asked for, and a file with no valid rows is refused either way.
 */
export function refusalOf(validated: ValidatedFile, partial = false): LoadRejectedError | undefined {
  const { file } = validated.context;
  if (validated.log.any && !partial) return new LoadRejectedError(file, validated.log.problems, validated.log.count);
  if (validated.validRows === 0) return new LoadRejectedError(file, [{ file, row: 0, reason: 'the file has no rows to load' }]);
  return undefined;
}
