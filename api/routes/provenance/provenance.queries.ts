import { count, desc, eq, inArray } from 'drizzle-orm';
import { schema, type Database } from '../../../db';

const { loadBatches, observations, indicators } = schema;

/**
 * The load batches that hold the current observations of the given indicators (all indicators when none are
 * given), newest first, each with how many of those observations it holds.
 */
export function batchesHolding(db: Database, indicatorIds: readonly number[] | undefined) {
  return db
    .select({
      id: loadBatches.id,
      fileName: loadBatches.fileName,
      format: loadBatches.format,
      checksum: loadBatches.checksum,
      loadedAt: loadBatches.loadedAt,
      status: loadBatches.status,
      observations: count(observations.id),
    })
    .from(observations)
    .innerJoin(loadBatches, eq(loadBatches.id, observations.loadBatchId))
    .where(indicatorIds === undefined ? undefined : inArray(observations.indicatorId, [...indicatorIds]))
    .groupBy(loadBatches.id)
    .orderBy(desc(loadBatches.loadedAt), desc(loadBatches.id));
}

/** Indicators by code, with the codes that match none. */
export async function indicatorsByCode(db: Database, codes: readonly string[]) {
  const found = await db.select({ id: indicators.id, code: indicators.code, name: indicators.name, source: indicators.source }).from(indicators).where(inArray(indicators.code, [...codes]));
  const known = new Set(found.map((indicator) => indicator.code));
  return { found, missing: codes.filter((code) => !known.has(code)) };
}
