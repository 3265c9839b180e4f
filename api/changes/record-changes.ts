import { sql } from 'drizzle-orm';
import { queryRows, schema, type Database, type TransactionSession } from '../../db';
import { suppressionFloorOf } from './alert-config';
import { queueDigests, type RecordedEvent } from './alert-digests';
import type { ChangeItem } from './change-sentence';
import { persistenceChanges, verdictChange } from './verdict-diff';
import { organisationIdsOf, sliceKey, verdictSnapshot, type TouchedSlice, type VerdictSnapshot } from './verdict-snapshot';

export interface ChangeRecorder {
  /** After the load's (or rollback's) writes, in its transaction: records what changed and queues the digests. */
  finish(event: { batchId: number; kind: 'load' | 'rollback'; actor: string; queueDigests?: boolean }): Promise<{ eventId: number; changes: ChangeItem[] }>;
}

/**
 * What a load or rollback changed in the verdicts, recorded in its own transaction so a load can never be
 * without its record, nor a record without its load. Call before writing, with the indicator × periods the
 * batch touches (verdicts before), then `finish` after writing (verdicts after, compared). The digests it queues
 * are sent after the transaction commits (alert-dispatcher.ts), never inside it.
 */
export async function beginChangeRecord(session: TransactionSession, touched: readonly TouchedSlice[]): Promise<ChangeRecorder> {
  const threshold = suppressionFloorOf();
  const before = await verdictSnapshot(session.db, touched, threshold);
  return {
    async finish({ queueDigests: queue = true, ...event }) {
      // An indicator's first figures are its baseline: nothing to compare with, so their funnels are not computed again.
      const compared = touched.filter((slice) => before.slices.get(sliceKey(slice))!.of !== null);
      // A load knows which slices it changed: the funnels it left as they were are taken from before, unread.
      const changed = event.kind === 'load' ? await slicesChangedBy(session.db, event.batchId) : undefined;
      const after = await verdictSnapshot(session.db, compared, threshold, before, changed);
      const changes = compareSnapshots(before, after);
      const ids = await organisationIdsOf(session.db, [...new Set(changes.map((change) => change.item.organisation.code))]);
      const [row] = await session.db
        .insert(schema.changeEvents)
        .values({
          batchId: event.batchId,
          kind: event.kind,
          actor: event.actor,
          suppressionThreshold: threshold,
          slices: touched.map((slice) => {
            const was = before.slices.get(sliceKey(slice))!;
            const now = after.slices.get(sliceKey(slice));
            if (!now) return { indicator: was.indicator.code, period: was.period.label, comparedWith: null, baseline: true, judged: 0, beyond95: 0, beyond998: 0 };
            return { indicator: now.indicator.code, period: now.period.label, comparedWith: was.of?.label ?? null, ...now.chance };
          }),
        })
        .returning({ id: schema.changeEvents.id, occurredAt: schema.changeEvents.occurredAt });
      if (changes.length > 0) {
        await session.db.insert(schema.verdictChanges).values(
          changes.map(({ item, indicatorId, periodId }) => ({
            eventId: row.id,
            indicatorId,
            periodId,
            organisationId: ids.get(item.organisation.code)!,
            change: item.change,
            beforeBand: item.before.band,
            beforeJudgement: item.before.judgement,
            afterBand: item.after.band,
            afterJudgement: item.after.judgement,
            revision: item.revision,
            verdictFlipped: item.verdictFlipped,
          })),
        );
      }
      const recorded: RecordedEvent = { id: row.id, occurredAt: row.occurredAt, ...event };
      if (queue) await queueDigests(session.db, recorded, changes, [...after.slices.values()]);
      return { eventId: row.id, changes: changes.map(({ item }) => item) };
    },
  };
}

/**
 * The slices whose stored rows a load changed: those where the rows it wrote differ from the rows it moved to
 * observation_revisions (an organisation added or gone, or any figure different). A file revising a slice with
 * the same figures leaves its funnel as it was.
 */
export async function slicesChangedBy(db: Database, batchId: number): Promise<TouchedSlice[]> {
  const rows = await queryRows<{ indicator_id: number; period_id: number }>(
    db,
    sql`with written as (select ${figureColumns} from observations where load_batch_id = ${batchId}),
             moved as (select ${figureColumns} from observation_revisions where superseded_by_batch_id = ${batchId})
        select distinct indicator_id, period_id from ((select * from written except select * from moved) union all (select * from moved except select * from written)) differing`,
  );
  return rows.map((row) => ({ indicatorId: Number(row.indicator_id), periodId: Number(row.period_id) }));
}

const figureColumns = sql.raw('indicator_id, period_id, organisation_id, numerator, denominator, observed, expected, value, value_lower, value_upper');

export interface LocatedChange {
  item: ChangeItem;
  indicatorId: number;
  periodId: number;
  /** The last day of the change's period: network membership is read on it. */
  periodEnd: string;
}

/**
 * Every provider whose band moved in a touched slice, and the persistent outliers that started or ended, per
 * indicator. An indicator with no figures before is its baseline: nothing is reported as changed from nothing.
 */
export function compareSnapshots(before: VerdictSnapshot, after: VerdictSnapshot): LocatedChange[] {
  const changes: LocatedChange[] = [];
  for (const [key, now] of after.slices) {
    const was = before.slices.get(key)!;
    const names = new Map<string, string>([...was.names, ...now.names]);
    const codes = [...new Set([...was.verdicts.keys(), ...now.verdicts.keys()])].sort();
    for (const code of codes) {
      const moved = verdictChange(was.verdicts.get(code), now.verdicts.get(code));
      if (!moved) continue;
      changes.push({
        item: {
          indicator: { code: now.indicator.code, name: now.indicator.name },
          period: now.period.label,
          organisation: { code, name: names.get(code) ?? code },
          change: moved.change,
          before: pick(was.verdicts.get(code)),
          after: pick(now.verdicts.get(code)),
          // The period's own figures were there before (and after): a revision, not a new period.
          revision: was.of?.id === now.period.id && now.of?.id === now.period.id,
          verdictFlipped: moved.verdictFlipped,
        },
        indicatorId: now.indicator.id,
        periodId: now.period.id,
        periodEnd: now.period.endDate,
      });
    }
  }
  for (const [indicatorId, now] of after.persistence) {
    const was = before.persistence.get(indicatorId)!;
    // An indicator whose window was empty before starts its persistence from this load: nothing ended or began.
    const period = now.period ?? was.period;
    if (!period || !was.period) continue;
    const { started, ended } = persistenceChanges(was.codes, now.codes);
    for (const [change, codes] of [['persistent_new', started], ['persistent_ended', ended]] as const) {
      for (const code of codes) {
        changes.push({
          item: {
            indicator: { code: now.indicator.code, name: now.indicator.name },
            period: period.label,
            organisation: { code, name: now.names.get(code) ?? was.names.get(code) ?? code },
            change,
            before: { band: null, judgement: null },
            after: { band: null, judgement: null },
            revision: was.period?.id === now.period?.id,
            verdictFlipped: false,
          },
          indicatorId,
          periodId: period.id,
          periodEnd: period.endDate,
        });
      }
    }
  }
  return changes;
}

const pick = (verdict: { band: string | null; judgement: string | null } | undefined) => ({ band: verdict?.band ?? null, judgement: verdict?.judgement ?? null });
