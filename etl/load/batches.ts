import { desc } from 'drizzle-orm';
import { schema, withTransaction, type Database, type DatabaseHandle } from '../../db';
import { EtlCommandError } from '../problems';

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
  return withTransaction(handle, async (session) => {
    await session.query(`select pg_advisory_xact_lock(7325001)`);
    const [batch] = await session.query<{ status: string }>(`select status from load_batches where id = $1 for update`, [batchId]);
    if (!batch) throw new EtlCommandError(`there is no load batch ${batchId}`);
    if (batch.status !== 'loaded') throw new EtlCommandError(`load batch ${batchId} is ${batch.status.replace('_', ' ')}, so there is nothing to roll back`);
    const [later] = await session.query<{ superseded_by_batch_id: number }>(
      `select superseded_by_batch_id from observation_revisions where load_batch_id = $1 order by superseded_by_batch_id desc limit 1`,
      [batchId],
    );
    if (later) throw new EtlCommandError(`load batch ${batchId} was revised by batch ${later.superseded_by_batch_id}; roll back batch ${later.superseded_by_batch_id} first`);
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
    return result;
  });
}
