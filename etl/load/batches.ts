import { desc } from 'drizzle-orm';
import { schema, withTransaction, type Database, type DatabaseHandle, type TransactionSession } from '../../db';
import { EtlCommandError } from '../problems';
import { alertsCommitted } from '../../api/changes/alert-dispatcher';
import { beginChangeRecord } from '../../api/changes/record-changes';

/** The load history, newest first. */
export function listBatches(db: Database) {
  return db.select().from(schema.loadBatches).orderBy(desc(schema.loadBatches.id));
}

export interface RollbackResult {
  batchId: number;
  removedRows: number;
  restoredRows: number;
  restoredBatchIds: number[];
}

/**
 * Undoes one batch in one transaction: its observations go, the observations it revised come back from
 * observation_revisions, and the batches it superseded are current again. Only a batch whose rows no later
 * batch has revised can be rolled back; otherwise that later batch must be rolled back first.
 */
export async function rollbackBatch(handle: DatabaseHandle, batchId: number, by = 'local'): Promise<RollbackResult> {
  const rolledBack = await withTransaction(handle, async (session) => {
    await session.query(`select pg_advisory_xact_lock(7325001)`);
    const refusal = await rollbackRefusal(session, batchId, 'for update');
    if (refusal) throw new EtlCommandError(refusal);
    const touched = await session.query<{ indicator_id: number; period_id: number }>(
      `select indicator_id, period_id from observations where load_batch_id = $1
       union select indicator_id, period_id from observation_revisions where superseded_by_batch_id = $1`,
      [batchId],
    );
    // The verdicts the rollback changes back are recorded as a correction of the load's.
    const changeRecord = await beginChangeRecord(session, touched.map((slice) => ({ indicatorId: Number(slice.indicator_id), periodId: Number(slice.period_id) })));
    const removed = await session.query(`delete from observations where load_batch_id = $1 returning id`, [batchId]);
    const restored = await session.query(
      `with restored as (delete from observation_revisions where superseded_by_batch_id = $1 returning *)
       insert into observations (indicator_id, organisation_id, period_id, numerator, denominator, observed, expected, value, value_lower, value_upper, load_batch_id)
       select indicator_id, organisation_id, period_id, numerator, denominator, observed, expected, value, value_lower, value_upper, load_batch_id from restored
       returning load_batch_id`,
      [batchId],
    );
    const reinstated = await session.query<{ id: number }>(
      `update load_batches set status = 'loaded', superseded_by_id = null where superseded_by_id = $1 returning id`,
      [batchId],
    );
    await session.query(`update load_batches set status = 'rolled_back' where id = $1`, [batchId]);
    const result = {
      batchId,
      removedRows: removed.length,
      restoredRows: restored.length,
      restoredBatchIds: reinstated.map((row) => Number(row.id)).sort((a, b) => a - b),
    };
    await session.run(handle.db.insert(schema.auditEvents).values({ actor: by, action: 'rollback', details: { ...result } }));
    await changeRecord.finish({ batchId, kind: 'rollback', actor: by });
    return result;
  });
  alertsCommitted();
  return rolledBack;
}

/** Why a batch cannot be rolled back, in the words the rollback refuses with, or undefined when it can. */
async function rollbackRefusal(session: TransactionSession, batchId: number, lock: '' | 'for update'): Promise<string | undefined> {
  const [batch] = await session.query<{ status: string }>(`select status from load_batches where id = $1 ${lock}`, [batchId]);
  if (!batch) return `there is no load batch ${batchId}`;
  if (batch.status !== 'loaded') return `load batch ${batchId} is ${batch.status.replace('_', ' ')}, so there is nothing to roll back`;
  const [later] = await session.query<{ superseded_by_batch_id: number }>(
    `select superseded_by_batch_id from observation_revisions where load_batch_id = $1 order by superseded_by_batch_id desc limit 1`,
    [batchId],
  );
  if (later) return `load batch ${batchId} was revised by batch ${later.superseded_by_batch_id}; roll back batch ${later.superseded_by_batch_id} first`;
  return undefined;
}

export type RollbackPlan = ({ possible: true } & RollbackResult) | { possible: false; batchId: number; reason: string };

/**
 * What rollbackBatch would do now, computed without writing: the rows it would remove and restore and the
 * batches it would make current again (the same rows its statements touch), or its refusal in its own words.
 * Undefined for an unknown batch.
 */
export async function rollbackPlan(handle: DatabaseHandle, batchId: number): Promise<RollbackPlan | undefined> {
  return withTransaction(handle, async (session) => {
    const refusal = await rollbackRefusal(session, batchId, '');
    if (refusal === `there is no load batch ${batchId}`) return undefined;
    if (refusal) return { possible: false as const, batchId, reason: refusal };
    const count = async (text: string) => Number((await session.query<{ n: number | string }>(text, [batchId]))[0].n);
    const reinstated = await session.query<{ id: number }>(`select id from load_batches where superseded_by_id = $1 order by id`, [batchId]);
    return {
      possible: true as const,
      batchId,
      removedRows: await count(`select count(*) as n from observations where load_batch_id = $1`),
      restoredRows: await count(`select count(*) as n from observation_revisions where superseded_by_batch_id = $1`),
      restoredBatchIds: reinstated.map((row) => Number(row.id)),
    };
  });
}
