import { and, eq } from 'drizzle-orm';
import { schema, withTransaction, type DatabaseHandle } from '../../db';
import type { ChangeItem } from '../../api/changes/change-sentence';
import { fileChecksum } from '../load/file-checksum';
import { loadObservations } from '../load/load-observations';
import { refusalOf, validateFile, type ValidatedFile } from '../load/validate-file';
import { LoadRejectedError, type LoadProblem } from '../problems';
import type { Progress } from '../progress';
import { measureFields, passedOverRows, type ObservationSource } from '../sources/raw-observation';
import { validateObservation } from '../validate/observation-row';
import { currentFigures, observationKey, sliceDigest, type Figures, type Slice } from './slices';

export interface SliceChanges {
  indicator: string;
  period: string;
  /** Rows for organisations the slice has no current observation for. */
  new: number;
  /** Rows whose figures differ from the current observation. */
  revised: number;
  unchanged: number;
  /** Current observations of organisations the file lacks: the load moves them to observation_revisions too. */
  withdrawn: number;
}

export interface RevisedRow {
  row: number;
  indicator: string;
  period: string;
  organisation: string;
  before: Figures;
  after: Figures;
}

/** What loading a file would do, told before it is loaded. */
export interface ObservationPreview {
  file: string;
  /** The reader's name (generic-csv, shmi-csv, …), or the format asked for when the file could not be opened. */
  format: string;
  checksum: string;
  /** A loaded batch with the same checksum: loading the file again would change nothing. */
  alreadyLoadedBatchId: number | null;
  /** Data rows read, valid or not; rows the format passes over are counted apart. */
  rows: number;
  validRows: number;
  skippedRows: number;
  /** The same rows by why the format passed them over. */
  passedOver: { reason: string; rows: number }[];
  /** What the format kept and where it found the period. */
  filters: string[];
  problemCount: number;
  /** The first problems, in the loader's words (the file, row, column, value and reason; a very long value shortened). */
  problems: LoadProblem[];
  slices: (SliceChanges & { indicatorId: number })[];
  totals: { new: number; revised: number; unchanged: number; withdrawn: number };
  revisedSamples: RevisedRow[];
  /** sliceDigest of the revised slices when previewed: a confirmation compares it to refuse a stale preview. */
  sliceDigest: string;
  /**
   * The funnel verdicts loading the file would change (providers entering or leaving the 95 % and 99.8 % bands,
   * band changes, persistent outliers): the load itself, run in a transaction that is rolled back. Absent for a
   * file with problems or already loaded.
   */
  verdictChanges?: ChangeItem[];
}

export interface PreviewOptions {
  createMissingOrganisations?: boolean;
  progress?: Progress;
  problemLimit?: number;
  sampleLimit?: number;
}

/** A value or column as long as a whole file (one unterminated field) would swell every stored preview: shortened past this. */
const maxProblemText = 200;
const shorten = (text: string | undefined) => (text !== undefined && text.length > maxProblemText ? `${text.slice(0, maxProblemText - 1)}…` : text);
/** How many problems a preview keeps; the count says how many there are in all. */
export const previewProblemLimit = 200;

/** The first problems, with any very long column or value shortened, for a preview or a failed upload. */
export const shownProblems = (problems: LoadProblem[], limit = previewProblemLimit) =>
  problems.slice(0, limit).map((problem) => ({ ...problem, column: shorten(problem.column), value: shorten(problem.value) }));

const sameFigures = (a: Figures, b: Figures) => measureFields.every((field) => a[field] === b[field]);
const sliceKey = (indicatorId: number, periodLabel: string) => `${indicatorId}|${periodLabel}`;

/**
 * Previews a load of one observation file: the loader's own validation (validateFile, so the two cannot
 * disagree), then, for a file the loader would accept, a second streamed read comparing each row with the
 * current observation of its organisation in its (indicator, period) slice. Only the slices the file
 * revises are read from the database. Writes nothing.
 */
export async function previewObservations(handle: DatabaseHandle, source: ObservationSource, path: string, options: PreviewOptions = {}): Promise<ObservationPreview> {
  const problemLimit = options.problemLimit ?? previewProblemLimit;
  const checksum = await fileChecksum(path);
  const already = await handle.db.query.loadBatches.findFirst({
    columns: { id: true },
    where: and(eq(schema.loadBatches.checksum, checksum), eq(schema.loadBatches.status, 'loaded')),
  });
  const base = { file: source.file, format: source.format, checksum, alreadyLoadedBatchId: already?.id ?? null, filters: [...(source.filters ?? [])] };
  const empty = { slices: [], totals: { new: 0, revised: 0, unchanged: 0, withdrawn: 0 }, revisedSamples: [], sliceDigest: '' };

  let validated: ValidatedFile;
  try {
    validated = await validateFile(handle.db, source, { createMissingOrganisations: options.createMissingOrganisations, progress: options.progress });
  } catch (error) {
    if (!(error instanceof LoadRejectedError)) throw error;
    return { ...base, ...empty, rows: 0, validRows: 0, skippedRows: 0, passedOver: [], problemCount: error.problemCount, problems: shownProblems(error.problems, problemLimit) };
  }
  const counted = { rows: validated.validRows + validated.rejectedRows.size, validRows: validated.validRows, skippedRows: source.skippedRows(), passedOver: passedOverRows(source) };
  const refusal = refusalOf(validated);
  if (refusal) return { ...base, ...empty, ...counted, problemCount: refusal.problemCount, problems: shownProblems(refusal.problems, problemLimit) };
  const compared = await compareWithCurrent(handle, source, validated, options.sampleLimit ?? 20);
  const verdictChanges = already ? undefined : (await loadObservations(handle, source, path, { dryRun: true, createMissingOrganisations: options.createMissingOrganisations })).verdictChanges;
  return { ...base, ...counted, problemCount: 0, problems: [], ...compared, ...(verdictChanges && { verdictChanges }) };
}

async function compareWithCurrent(handle: DatabaseHandle, source: ObservationSource, validated: ValidatedFile, sampleLimit: number) {
  const slices: Slice[] = [...validated.revisedSlices.values()];
  const { digest, currentByKey } = await withTransaction(handle, async (session) => {
    // One snapshot for the digest and the rows, so the preview describes a single state of the database.
    if (session.kind === 'postgres') await session.query('set transaction isolation level repeatable read, read only');
    return { digest: await sliceDigest(session.query, slices), currentByKey: await currentFigures(session.query, slices) };
  });
  const codeOf = new Map([...validated.lookups.indicators].map(([code, indicator]) => [indicator.id, code]));
  const changes = new Map(slices.map((slice) => [sliceKey(slice.indicatorId, slice.periodLabel), { indicatorId: slice.indicatorId, indicator: codeOf.get(slice.indicatorId)!, period: slice.periodLabel, new: 0, revised: 0, unchanged: 0, withdrawn: 0 }]));
  const revisedSamples: RevisedRow[] = [];
  for await (const raw of source.rows()) {
    const result = validateObservation(raw, validated.context);
    if (!('observation' in result)) throw new LoadRejectedError(source.file, result.problems);
    const { indicatorId, periodLabel, organisationCode, figures } = result.observation;
    const slice = changes.get(sliceKey(indicatorId, periodLabel))!;
    const key = observationKey(indicatorId, periodLabel, organisationCode);
    const before = currentByKey.get(key);
    currentByKey.delete(key);
    if (before === undefined) slice.new++;
    else if (sameFigures(before, figures)) slice.unchanged++;
    else {
      slice.revised++;
      if (revisedSamples.length < sampleLimit) revisedSamples.push({ row: raw.row, indicator: slice.indicator, period: periodLabel, organisation: organisationCode, before, after: figures });
    }
  }
  // What is left of the slices' current observations has no row in the file: withdrawn by the load.
  for (const key of currentByKey.keys()) changes.get(key.slice(0, key.lastIndexOf('|')))!.withdrawn++;
  const ordered = [...changes.values()].sort((a, b) => a.indicator.localeCompare(b.indicator) || a.period.localeCompare(b.period));
  const totals = { new: 0, revised: 0, unchanged: 0, withdrawn: 0 };
  for (const slice of ordered) for (const kind of ['new', 'revised', 'unchanged', 'withdrawn'] as const) totals[kind] += slice[kind];
  return { slices: ordered, totals, revisedSamples, sliceDigest: digest };
}

/** The preview of a file the loader refuses before reading a row (its header, format or encoding). */
export async function refusedPreview(path: string, file: string, format: string, error: LoadRejectedError): Promise<ObservationPreview> {
  return {
    file,
    format,
    checksum: await fileChecksum(path),
    alreadyLoadedBatchId: null,
    rows: 0,
    validRows: 0,
    skippedRows: 0,
    passedOver: [],
    filters: [],
    problemCount: error.problemCount,
    problems: shownProblems(error.problems),
    slices: [],
    totals: { new: 0, revised: 0, unchanged: 0, withdrawn: 0 },
    revisedSamples: [],
    sliceDigest: '',
  };
}
