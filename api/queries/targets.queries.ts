import { asc, eq } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { targetInForce, type PeriodTarget, type TargetInForce } from '../analysis/target-in-force';

const { indicatorTargets } = schema;

/** An indicator's dated standards, oldest first. */
export function indicatorTargetList(db: Database, indicatorId: number): Promise<PeriodTarget[]> {
  return db
    .select({ kind: indicatorTargets.kind, validFrom: indicatorTargets.validFrom, validTo: indicatorTargets.validTo, value: indicatorTargets.value, source: indicatorTargets.source, note: indicatorTargets.note })
    .from(indicatorTargets)
    .where(eq(indicatorTargets.indicatorId, indicatorId))
    .orderBy(asc(indicatorTargets.validFrom), asc(indicatorTargets.kind));
}

/** The target in force at a period's end (see targetInForce). */
export async function periodTarget(db: Database, indicator: { id: number; target: number | null; source: string | null }, period: { endDate: string }): Promise<TargetInForce | null> {
  return targetInForce(indicator, await indicatorTargetList(db, indicator.id), period.endDate);
}
