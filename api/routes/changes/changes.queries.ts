import { and, desc, eq, gt, inArray } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import type { ChangeItem } from '../../changes/change-sentence';

const { changeEvents, verdictChanges, indicators, periods, organisations, loadBatches } = schema;

/** The loads' and rollbacks' change records after a moment or after a batch was loaded (compared in the database, to the microsecond), newest first. */
export function changeEventsAfter(db: Database, after: Date | { batchId: number } | null, limit: number) {
  return db
    .select({
      id: changeEvents.id,
      kind: changeEvents.kind,
      batchId: changeEvents.batchId,
      file: loadBatches.fileName,
      occurredAt: changeEvents.occurredAt,
      suppressionThreshold: changeEvents.suppressionThreshold,
      slices: changeEvents.slices,
    })
    .from(changeEvents)
    .innerJoin(loadBatches, eq(loadBatches.id, changeEvents.batchId))
    .where(
      after === null
        ? undefined
        : after instanceof Date
          ? gt(changeEvents.occurredAt, after)
          : gt(changeEvents.occurredAt, db.select({ loadedAt: loadBatches.loadedAt }).from(loadBatches).where(eq(loadBatches.id, after.batchId))),
    )
    .orderBy(desc(changeEvents.occurredAt), desc(changeEvents.id))
    .limit(limit);
}

export interface StoredChange extends ChangeItem {
  eventId: number;
  indicatorId: number;
  organisationId: number;
  periodId: number;
  periodStart: string;
  periodEnd: string;
  measureKind: (typeof indicators.$inferSelect)['measureKind'];
}

/** The changes of the given events, with names, in the order they were recorded. */
export async function changesOfEvents(db: Database, eventIds: readonly number[]): Promise<StoredChange[]> {
  if (eventIds.length === 0) return [];
  const rows = await db
    .select({
      eventId: verdictChanges.eventId,
      indicatorId: indicators.id,
      indicatorCode: indicators.code,
      indicatorName: indicators.name,
      measureKind: indicators.measureKind,
      organisationId: organisations.id,
      organisationCode: organisations.code,
      organisationName: organisations.name,
      periodId: periods.id,
      period: periods.label,
      periodStart: periods.startDate,
      periodEnd: periods.endDate,
      change: verdictChanges.change,
      beforeBand: verdictChanges.beforeBand,
      beforeJudgement: verdictChanges.beforeJudgement,
      afterBand: verdictChanges.afterBand,
      afterJudgement: verdictChanges.afterJudgement,
      revision: verdictChanges.revision,
      verdictFlipped: verdictChanges.verdictFlipped,
    })
    .from(verdictChanges)
    .innerJoin(indicators, eq(indicators.id, verdictChanges.indicatorId))
    .innerJoin(organisations, eq(organisations.id, verdictChanges.organisationId))
    .innerJoin(periods, eq(periods.id, verdictChanges.periodId))
    .where(inArray(verdictChanges.eventId, [...eventIds]))
    .orderBy(verdictChanges.id);
  return rows.map((row) => ({
    eventId: row.eventId,
    indicatorId: row.indicatorId,
    organisationId: row.organisationId,
    periodId: row.periodId,
    periodStart: row.periodStart,
    periodEnd: row.periodEnd,
    measureKind: row.measureKind,
    indicator: { code: row.indicatorCode, name: row.indicatorName },
    period: row.period,
    organisation: { code: row.organisationCode, name: row.organisationName },
    change: row.change as ChangeItem['change'],
    before: { band: row.beforeBand, judgement: row.beforeJudgement },
    after: { band: row.afterBand, judgement: row.afterJudgement },
    revision: row.revision,
    verdictFlipped: row.verdictFlipped,
  }));
}

export async function batchExists(db: Database, batchId: number): Promise<boolean> {
  return (await db.select({ id: loadBatches.id }).from(loadBatches).where(eq(loadBatches.id, batchId))).length > 0;
}

/** The organisation ids that were members of a network on each given date (valid_to exclusive). */
export async function networkMembersOnDates(db: Database, networkId: number, organisationIds: readonly number[]) {
  if (organisationIds.length === 0) return [];
  return db
    .select({ organisationId: schema.networkMemberships.organisationId, validFrom: schema.networkMemberships.validFrom, validTo: schema.networkMemberships.validTo })
    .from(schema.networkMemberships)
    .where(and(eq(schema.networkMemberships.networkId, networkId), inArray(schema.networkMemberships.organisationId, [...organisationIds])));
}

/** Every organisation's stored figures in one indicator × period, for disclosedRows. */
export function sliceFigures(db: Database, indicatorId: number, periodId: number) {
  const { observations } = schema;
  return db
    .select({ organisationId: observations.organisationId, numerator: observations.numerator, denominator: observations.denominator, observed: observations.observed, expected: observations.expected, value: observations.value, valueLower: observations.valueLower, valueUpper: observations.valueUpper })
    .from(observations)
    .where(and(eq(observations.indicatorId, indicatorId), eq(observations.periodId, periodId)));
}
