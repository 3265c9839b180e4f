import type { BatchEtl } from '../../api/batch-etl';
import type { DatabaseHandle } from '../../db';
import { auditRefusals } from '../load/audit-refusals';
import { rollbackBatch, rollbackPlan } from '../load/batches';
import { EtlCommandError } from '../problems';

/** The ETL behind the dashboard's load history: the command line's rollback, refusals audited as it audits them. */
export function createBatchEtl(handle: DatabaseHandle): BatchEtl {
  return {
    rollbackPlan: (batchId) => rollbackPlan(handle, batchId),
    async rollback(batchId, by) {
      try {
        const result = await auditRefusals(handle, 'rollback', by, { batchId }, () => rollbackBatch(handle, batchId, by));
        return { ok: true, ...result };
      } catch (error) {
        if (error instanceof EtlCommandError) return { ok: false, reason: error.message };
        throw error;
      }
    },
  };
}
