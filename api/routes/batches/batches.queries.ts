import { and, count, desc, eq, sql } from 'drizzle-orm';
import { schema, type Database } from '../../../db';

const { loadBatches, auditEvents } = schema;
export type BatchRow = typeof loadBatches.$inferSelect;

/** A load batch as the API shows it. */
export const batchView = (row: BatchRow) => ({
  id: row.id,
  fileName: row.fileName,
  format: row.format,
  checksum: row.checksum,
  rows: row.rowCount,
  rejectedRows: row.rejectedRowCount,
  status: row.status,
  supersededById: row.supersededById,
  loadedAt: row.loadedAt.toISOString(),
  loadedBy: row.loadedBy,
});

/** The load history, newest first, one page of it, and how many batches there are in all. */
export async function listBatchPage(db: Database, page: { limit: number; offset: number }) {
  const [rows, [total]] = await Promise.all([
    db.select().from(loadBatches).orderBy(desc(loadBatches.id)).limit(page.limit).offset(page.offset),
    db.select({ n: count() }).from(loadBatches),
  ]);
  return { rows, total: Number(total?.n ?? 0) };
}

export async function findBatch(db: Database, id: number): Promise<BatchRow | undefined> {
  const [row] = await db.select().from(loadBatches).where(eq(loadBatches.id, id));
  return row;
}

/** Who rolled the batch back, when, and what it did, from the audit trail (the rollback records itself there). */
export async function rollbackRecord(db: Database, id: number) {
  const [event] = await db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'rollback'), eq(auditEvents.outcome, 'success'), sql`${auditEvents.details}->>'batchId' = ${String(id)}`))
    .orderBy(desc(auditEvents.id))
    .limit(1);
  if (!event) return null;
  const details = event.details as { removedRows?: number; restoredRows?: number; restoredBatchIds?: number[] };
  return {
    by: event.actor,
    at: event.occurredAt.toISOString(),
    removedRows: details.removedRows ?? 0,
    restoredRows: details.restoredRows ?? 0,
    restoredBatchIds: details.restoredBatchIds ?? [],
  };
}
