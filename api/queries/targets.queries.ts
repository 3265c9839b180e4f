import { and, asc, eq, isNull, or } from 'drizzle-orm';
import { schema, type Database } from '../../db';
import { targetInForce, targetLinesInForce, type PeriodTarget, type TargetInForce, type TargetLine } from '../analysis/target-in-force';

const { indicatorTargets, networks } = schema;

/**
 * An indicator's dated standards, oldest first: the national ones, and with `networkId` also that network's
 * local ambitions (another network's, which may be restricted, are never read).
 */
export function indicatorTargetList(db: Database, indicatorId: number, networkId?: number): Promise<PeriodTarget[]> {
  const scope = networkId === undefined ? isNull(indicatorTargets.networkId) : or(isNull(indicatorTargets.networkId), eq(indicatorTargets.networkId, networkId));
  return db
    .select({
      kind: indicatorTargets.kind,
      network: networks.code,
      validFrom: indicatorTargets.validFrom,
      validTo: indicatorTargets.validTo,
      value: indicatorTargets.value,
      source: indicatorTargets.source,
      note: indicatorTargets.note,
    })
    .from(indicatorTargets)
    .leftJoin(networks, eq(networks.id, indicatorTargets.networkId))
    .where(and(eq(indicatorTargets.indicatorId, indicatorId), scope))
    .orderBy(asc(indicatorTargets.validFrom), asc(indicatorTargets.kind));
}

/** The target in force at a period's end (see targetInForce). */
export async function periodTarget(db: Database, indicator: { id: number; target: number | null; source: string | null }, period: { endDate: string }): Promise<TargetInForce | null> {
  return targetInForce(indicator, await indicatorTargetList(db, indicator.id), period.endDate);
}

/** The target of the verdict and every line in force at a period's end, a network's local ambitions among them when one is given. */
export async function periodTargets(
  db: Database, indicator: { id: number; target: number | null; source: string | null }, period: { endDate: string }, networkId?: number,
): Promise<{ target: TargetInForce | null; lines: TargetLine[] }> {
  const targets = await indicatorTargetList(db, indicator.id, networkId);
  return { target: targetInForce(indicator, targets, period.endDate), lines: targetLinesInForce(targets, period.endDate) };
}
