import { createWriteStream } from 'node:fs';
import { and, eq, inArray } from 'drizzle-orm';
import { schema, withTransaction, type DatabaseHandle, type TransactionSession } from '../../db';
import type { ParsedPeriod } from '../periods/parse-period';
import { LoadRejectedError, type LoadProblem } from '../problems';
import { silentProgress, type Progress } from '../progress';
import { measureFields, passedOverRows, type ObservationSource, type RawObservation } from '../sources/raw-observation';
import { fileChecksum } from './file-checksum';
import { readLookups } from './lookups';
import { ObservationSpool } from './observation-spool';
import { refusalOf, validateFile, type ValidatedFile } from './validate-file';
import { copyObservations, referenceCheckFor, refuseMissingParents } from './write-observations';
import { formatSpreadsheetLine } from '../csv/csv-write';
import { alertsCommitted } from '../../api/changes/alert-dispatcher';
import { beginChangeRecord } from '../../api/changes/record-changes';
import type { ChangeItem } from '../../api/changes/change-sentence';

export interface LoadOptions {
  /** Create organisations the file names but the database lacks (kind "other"), instead of refusing them. */
  createMissingOrganisations?: boolean;
  /** Load the valid rows and write the rejected ones, with their reasons, to this CSV. */
  rejectsPath?: string;
  loadedBy?: string;
  progress?: Progress;
  /**
   * Runs inside the load's transaction once it holds the load lock, before anything is written; throwing
   * refuses the load. The upload confirmation checks here that its preview still describes the database.
   */
  beforeWrite?: (session: TransactionSession) => Promise<void>;
  /** Runs inside the load's transaction once its batch is written, before it commits (an upload records its batch here). */
  afterWrite?: (session: TransactionSession, batchId: number) => Promise<void>;
  /**
   * Load, work out the verdicts the file would change, then roll everything back (the upload preview): nothing
   * is kept, no digest is queued, and the batch number the load took is given back.
   */
  dryRun?: boolean;
}

export interface LoadResult {
  status: 'loaded' | 'unchanged';
  batchId: number;
  file: string;
  rows: number;
  rejectedRows: number;
  skippedRows: number;
  /** The same rows by why the format passed them over. */
  passedOver: { reason: string; rows: number }[];
  /** What the format kept and where it found the period (e.g. CWT's ALL CANCERS rows, its period from the file name). */
  filters: string[];
  /** Observations of earlier batches replaced by this file's rows for the same indicator and period. */
  supersededRows: number;
  supersededBatchIds: number[];
  problems: LoadProblem[];
  /** The funnel verdicts the load changed (api/changes/record-changes.ts); none for an unchanged file. */
  verdictChanges: ChangeItem[];
}

/** Thrown to roll a dry run back, carrying what it would have done. */
class DryRunRollback extends Error {
  constructor(readonly result: LoadResult) {
    super('dry run');
  }
}

const copyColumns = [
  'indicator_id', 'organisation_id', 'period_id', 'numerator', 'denominator', 'observed', 'expected',
  'value', 'value_lower', 'value_upper', 'load_batch_id',
] as const;

/**
 * Loads one observation file as one batch, in one transaction. Pass 1 reads and validates every row and
 * writes nothing; any problem refuses the whole file (unless rejectsPath asks for a partial load). Pass 2
 * re-reads the file into COPY, after moving the observations it revises (same indicator and period) into
 * observation_revisions; the references are checked once, set-based, where the role allows (write-observations.ts).
 * Loading a file whose checksum is already loaded changes nothing.
 */
export async function loadObservations(handle: DatabaseHandle, source: ObservationSource, path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const progress = options.progress ?? silentProgress;
  const checksum = await fileChecksum(path);
  // A file whose batch is current is a no-op; one whose batch was superseded or rolled back loads again.
  const already = await handle.db.query.loadBatches.findFirst({
    where: and(eq(schema.loadBatches.checksum, checksum), eq(schema.loadBatches.status, 'loaded')),
  });
  if (already) {
    return { status: 'unchanged', batchId: already.id, file: source.file, rows: already.rowCount, rejectedRows: 0, skippedRows: 0, passedOver: [], filters: [...(source.filters ?? [])], supersededRows: 0, supersededBatchIds: [], problems: [], verdictChanges: [] };
  }

  // Pass 1: validate everything, write nothing.
  const rejects = options.rejectsPath ? createWriteStream(options.rejectsPath) : undefined;
  rejects?.write(formatSpreadsheetLine(['row', 'indicator', 'organisation', 'period', ...measureFields, 'reasons']));
  const lookups = await readLookups(handle.db);
  const spool = new ObservationSpool(lookups.organisations, lookups.periods);
  try {
    const validated = await validateFile(handle.db, source, {
      lookups,
      createMissingOrganisations: options.createMissingOrganisations,
      progress,
      onRejectedRow: rejects && ((raw, problems) => rejects.write(rejectLine(raw, problems))),
      onValidRow: (observation) => spool.add(observation),
    });
    await spool.finish();
    if (rejects) await new Promise<void>((resolve, reject) => rejects.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const refusal = refusalOf(validated, options.rejectsPath !== undefined);
    if (refusal) throw refusal;
    return await writeBatch(handle, source, path, checksum, validated, spool, options);
  } finally {
    spool.remove();
  }
}

/** Pass 2: the batch in one transaction, its rows COPYd from the spool. */
async function writeBatch(handle: DatabaseHandle, source: ObservationSource, path: string, checksum: string, validated: ValidatedFile, spool: ObservationSpool, options: LoadOptions): Promise<LoadResult> {
  const progress = options.progress ?? silentProgress;
  const { context, periodOf, log, rejectedRows, validRows, revisedSlices, newOrganisations } = validated;


  const loaded = withTransaction(handle, async (session): Promise<LoadResult> => {
    // Loads run one at a time, so two loads cannot revise the same slice against each other. The SHARE locks on
    // the parents (readers are not blocked) keep every organisation, indicator and period the file references
    // until the commit, so the references checked once below still hold when the load commits.
    await session.query(`select pg_advisory_xact_lock(7325001)`);
    await session.query(`lock table organisations, indicators, periods in share mode`);
    await session.query(`lock table observations in share row exclusive mode`);
    await options.beforeWrite?.(session);
    // Sequences ignore rollbacks: a dry run notes them before it writes and gives the numbers back, so its rows leave no trace.
    const sequences = options.dryRun ? await sequencePositions(session) : [];
    const periodIds = await ensurePeriods(session, handle, [...new Set([...revisedSlices.values()].map((slice) => slice.periodLabel))].map((label) => periodOf(label)!));
    const touched = [...revisedSlices.values()].map((slice) => ({ indicatorId: slice.indicatorId, periodId: periodIds.get(slice.periodLabel)! }));
    // The verdicts before the load, compared with those after it in this transaction.
    const changeRecord = await beginChangeRecord(session, touched);
    const organisationIds = new Map(validated.lookups.organisations);
    if (newOrganisations.size > 0) {
      const created = await session.run<{ id: number; code: string }>(
        handle.db
          .insert(schema.organisations)
          .values([...newOrganisations].map(([code, name]) => ({ code, name, kind: 'other' as const })))
          .returning({ id: schema.organisations.id, code: schema.organisations.code }),
      );
      created.forEach((row) => organisationIds.set(row.code, row.id));
    }
    const indicatorCodes = new Map([...context.indicators].map(([code, indicator]) => [indicator.id, code]));
    await refuseMissingParents(session, source.file, [
      ...[...new Set(touched.map((slice) => slice.indicatorId))].map((id) => ({ parent: 'indicator' as const, code: indicatorCodes.get(id) ?? String(id), id })),
      ...[...spool.organisations].map(([code, entry]) => ({ parent: 'organisation' as const, code, id: 'id' in entry ? entry.id : organisationIds.get(code)! })),
      ...[...spool.periods].map(([label, entry]) => ({ parent: 'period' as const, code: label, id: 'id' in entry ? entry.id : periodIds.get(label)! })),
    ]);
    const [batch] = await session.run<{ id: number }>(
      handle.db
        .insert(schema.loadBatches)
        .values({ fileName: source.file, format: source.format, checksum, rowCount: validRows, rejectedRowCount: rejectedRows.size, loadedBy: options.loadedBy })
        .returning({ id: schema.loadBatches.id }),
    );
    const slices = [...revisedSlices.values()];
    const { supersededRows, supersededBatchIds } = await supersedeSlices(
      session,
      batch.id,
      slices.map((slice) => slice.indicatorId),
      slices.map((slice) => periodIds.get(slice.periodLabel)!),
    );

    progress.start(`writing ${source.file}`, validRows);
    const copied = await copyObservations(session, await referenceCheckFor(session), source.file, batch.id, copyColumns, withProgress(spool.lines(batch.id, organisationIds, periodIds), progress));
    progress.finish();
    if (copied !== validRows || (await fileChecksum(path)) !== checksum) {
      throw new LoadRejectedError(source.file, [{ file: source.file, row: 0, reason: 'the file changed while it was being loaded; nothing was loaded' }]);
    }
    // In the load's own transaction, so the audit trail can never name a load that did not happen.
    await session.run(
      handle.db.insert(schema.auditEvents).values({
        actor: options.loadedBy ?? 'local',
        action: 'load',
        details: { batchId: batch.id, file: source.file, format: source.format, rows: validRows, rejectedRows: rejectedRows.size, supersededBatchIds },
      }),
    );
    const { changes } = await changeRecord.finish({ batchId: batch.id, kind: 'load', actor: options.loadedBy ?? 'local', queueDigests: !options.dryRun });
    await options.afterWrite?.(session, batch.id);
    const result: LoadResult = {
      status: 'loaded',
      batchId: batch.id,
      file: source.file,
      rows: validRows,
      rejectedRows: rejectedRows.size,
      skippedRows: source.skippedRows(),
      passedOver: passedOverRows(source),
      filters: [...(source.filters ?? [])],
      supersededRows,
      supersededBatchIds,
      problems: log.problems,
      verdictChanges: changes,
    };
    if (options.dryRun) {
      for (const position of sequences) await rewindSequence(session, position);
      throw new DryRunRollback(result);
    }
    return result;
  });
  if (options.dryRun) return loaded.catch((error: unknown) => (error instanceof DryRunRollback ? error.result : Promise.reject(error)));
  const result = await loaded;
  alertsCommitted();
  return result;
}

/**
 * The identity sequences a load advances and only a holder of the load lock (or of the SHARE locks on the parents)
 * draws from: its batch, periods, organisations, observations, revisions and change records. Not the audit trail's,
 * which any request draws from at any moment: a number another session drew between the check and the rewind
 * would be handed out twice (seen as a duplicate audit id once previews ran beside requests on the job queue).
 */
const loadSequences = ['load_batches', 'periods', 'organisations', 'observations', 'observation_revisions', 'change_events', 'verdict_changes'].map((table) => `${table}_id_seq`);

/**
 * Gives a dry run's sequence numbers back, but only where no other session has drawn one since this session's last
 * draw: rewinding past another session's number would make its next insert collide. Where one has, the gap is
 * left, as PostgreSQL leaves any rolled-back draw.
 */
async function rewindSequence(session: TransactionSession, { name, lastValue, isCalled }: { name: string; lastValue: number; isCalled: boolean }) {
  const [now] = await session.query<{ last_value: number | string; is_called: boolean }>(`select last_value, is_called from ${name}`);
  if (Number(now.last_value) === lastValue && now.is_called === isCalled) return;
  await session.query(`select setval($1, $2, $3) from ${name} where last_value = currval($1)`, [name, lastValue, isCalled]);
}

async function sequencePositions(session: TransactionSession) {
  const positions = [];
  for (const name of loadSequences) {
    const [row] = await session.query<{ last_value: number | string; is_called: boolean }>(`select last_value, is_called from ${name}`);
    positions.push({ name, lastValue: Number(row.last_value), isCalled: row.is_called });
  }
  return positions;
}

async function ensurePeriods(session: TransactionSession, handle: DatabaseHandle, periods: ParsedPeriod[]): Promise<Map<string, number>> {
  if (periods.length > 0) {
    await session.run(handle.db.insert(schema.periods).values(periods).onConflictDoNothing({ target: schema.periods.label }));
  }
  const rows = await session.run<{ id: number; label: string }>(
    handle.db.select({ id: schema.periods.id, label: schema.periods.label }).from(schema.periods).where(inArray(schema.periods.label, periods.map((period) => period.label))),
  );
  return new Map(rows.map((row) => [row.label, row.id]));
}

/** Moves the observations of the revised (indicator, period) slices into observation_revisions. */
async function supersedeSlices(session: TransactionSession, batchId: number, indicatorIds: number[], periodIds: number[]) {
  const moved = await session.query<{ load_batch_id: number }>(
    `with revised as (
       delete from observations o
       using unnest($1::int[], $2::int[]) as slice(indicator_id, period_id)
       where o.indicator_id = slice.indicator_id and o.period_id = slice.period_id
       returning o.*
     )
     insert into observation_revisions
       (indicator_id, organisation_id, period_id, numerator, denominator, observed, expected, value, value_lower, value_upper, load_batch_id, superseded_by_batch_id)
     select indicator_id, organisation_id, period_id, numerator, denominator, observed, expected, value, value_lower, value_upper, load_batch_id, $3
     from revised
     returning load_batch_id`,
    [indicatorIds, periodIds, batchId],
  );
  const touched = [...new Set(moved.map((row) => Number(row.load_batch_id)))];
  // A batch none of whose observations remain has been wholly superseded.
  const superseded = touched.length
    ? await session.query<{ id: number }>(
        `update load_batches b set status = 'superseded', superseded_by_id = $1
         where b.id = any($2::int[]) and b.status = 'loaded'
           and not exists (select 1 from observations o where o.load_batch_id = b.id)
         returning b.id`,
        [batchId, touched],
      )
    : [];
  return { supersededRows: moved.length, supersededBatchIds: superseded.map((row) => Number(row.id)) };
}

/** Advances the progress bar by the lines each chunk carries. */
async function* withProgress(chunks: AsyncIterable<string>, progress: Progress): AsyncIterable<string> {
  for await (const chunk of chunks) {
    let lines = 0;
    for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
    progress.advance(lines);
    yield chunk;
  }
}

function rejectLine(raw: RawObservation, problems: LoadProblem[]): string {
  return formatSpreadsheetLine([
    String(raw.row),
    raw.indicator,
    raw.organisation,
    raw.period,
    ...measureFields.map((field) => (raw.measures[field] === null || raw.measures[field] === undefined ? '' : String(raw.measures[field]))),
    problems.map((problem) => `${problem.column ?? ''}: ${problem.reason}`).join('; '),
  ]);
}
