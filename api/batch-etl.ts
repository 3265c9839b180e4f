/**
 * What the load-history routes need of the ETL, injected through createApp as the upload port is (web/serve.ts
 * passes etl/batches/batch-etl.ts), so no route imports the loader: what a rollback of a batch would do, and
 * the rollback itself, `npm run etl -- rollback <id>`'s own code.
 */
export interface BatchRollbackResult {
  batchId: number;
  removedRows: number;
  restoredRows: number;
  restoredBatchIds: number[];
}

/** What a rollback would do now, or why the ETL would refuse it (in its words). */
export type BatchRollbackPlan = ({ possible: true } & BatchRollbackResult) | { possible: false; batchId: number; reason: string };

export type BatchRollbackOutcome = ({ ok: true } & BatchRollbackResult) | { ok: false; reason: string };

export interface BatchEtl {
  /** Computed without writing; undefined for an unknown batch. */
  rollbackPlan(batchId: number): Promise<BatchRollbackPlan | undefined>;
  /** One transaction, audited as `by`; a refusal is an outcome (audited as a failure after its rollback), anything else throws. */
  rollback(batchId: number, by: string): Promise<BatchRollbackOutcome>;
}
