import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { changeSentence, type ChangeItem } from '../../changes/change-sentence';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findNetwork } from '../../queries/catalogue.queries';
import { disclosedRows } from '../../queries/disclosure.queries';
import { validate } from '../../validation';
import { code, suppression, suppressionReason } from '../parameters';
import type { Database } from '../../../db';
import { batchExists, changeEventsAfter, changesOfEvents, networkMembersOnDates, sliceFigures, type StoredChange } from './changes.queries';

const changesQuery = z.object({
  network: code.optional(),
  since: z
    .string()
    .trim()
    .refine((value) => /^\d{1,9}$/.test(value) || !Number.isNaN(Date.parse(value)), 'must be a load batch id or a date and time (ISO 8601)')
    .optional()
    .describe('A load batch id (the changes of later loads and rollbacks) or an ISO 8601 date and time'),
  limit: z.coerce.number().int().min(1).max(200).default(20),
  suppression,
  suppressionReason,
});

/**
 * GET /api/changes: what each load and rollback changed in the funnel verdicts (api/changes/record-changes.ts),
 * newest first: providers entering or leaving the 95 % and 99.8 % bands, band changes, new persistent outliers,
 * and whether a revision flipped a verdict, with the chance context of each measure touched. `network` keeps to
 * its members (on the last day of each change's period) and is refused as unknown when the caller may not see
 * it. Verdicts were recorded at the deployment's floor; a higher `suppression` withholds those whose figures it
 * now withholds (disclosedRows, the one suppression path).
 */
export const changesRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Changes'], summary: 'What each load and rollback changed in the funnel verdicts, newest first, with the chance context' }),
  validate('query', changesQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const network = query.network === undefined ? undefined : await findNetwork(db, query.network, c.get('identity'));
    let after: Date | { batchId: number } | null = null;
    if (query.since !== undefined) {
      if (/^\d+$/.test(query.since)) {
        after = { batchId: Number(query.since) };
        if (!(await batchExists(db, after.batchId))) throw new ApiError(404, 'not_found', `No load batch ${query.since}`, 'since');
      } else after = new Date(query.since);
    }
    const events = await changeEventsAfter(db, after, query.limit);
    let changes = await changesOfEvents(db, events.map((event) => event.id));
    if (network) {
      const memberships = await networkMembersOnDates(db, network.id, [...new Set(changes.map((change) => change.organisationId))]);
      changes = changes.filter((change) =>
        memberships.some((one) => one.organisationId === change.organisationId && one.validFrom <= change.periodEnd && (one.validTo === null || one.validTo > change.periodEnd)),
      );
    }
    const threshold = c.var.suppressionThreshold;
    const withheld = await withheldNow(db, changes, events, threshold);
    return c.json({
      network: network ? { code: network.code, name: network.name } : null,
      since: query.since ?? null,
      suppressionThreshold: threshold,
      events: events.map((event) => {
        const own = changes.filter((change) => change.eventId === event.id);
        return {
          id: event.id,
          kind: event.kind,
          correction: event.kind === 'rollback',
          batchId: event.batchId,
          file: event.file,
          occurredAt: event.occurredAt,
          measures: event.slices,
          changes: own.map((change) => shown(change, withheld.has(changeKey(change)))),
        };
      }),
    });
  },
);

const changeKey = (change: Pick<StoredChange, 'indicatorId' | 'periodId' | 'organisationId'>) => `${change.indicatorId}|${change.periodId}|${change.organisationId}`;

function shown(change: StoredChange, withheld: boolean) {
  const item: ChangeItem = { indicator: change.indicator, period: change.period, organisation: change.organisation, change: change.change, before: change.before, after: change.after, revision: change.revision, verdictFlipped: change.verdictFlipped };
  if (!withheld) return { ...item, withheld: false, sentence: changeSentence(item) };
  const none = { band: null, judgement: null };
  return { ...item, before: none, after: none, verdictFlipped: false, withheld: true, sentence: `${change.organisation.name} (${change.organisation.code}) on ${change.indicator.name} in ${change.period}: withheld at this suppression threshold.` };
}

/**
 * The changes whose cell the request's threshold withholds now, where it is above the one the change was
 * recorded at (at or below it, the recorded verdicts reveal nothing the threshold would withhold).
 */
async function withheldNow(db: Database, changes: readonly StoredChange[], events: readonly { id: number; suppressionThreshold: number }[], threshold: number): Promise<Set<string>> {
  const recordedAt = new Map(events.map((event) => [event.id, event.suppressionThreshold]));
  const stricter = changes.filter((change) => threshold > (recordedAt.get(change.eventId) ?? threshold));
  const withheld = new Set<string>();
  const cells = new Map<string, StoredChange[]>();
  for (const change of stricter) cells.set(`${change.indicatorId}|${change.periodId}`, [...(cells.get(`${change.indicatorId}|${change.periodId}`) ?? []), change]);
  for (const group of cells.values()) {
    const { indicatorId, periodId, periodStart, periodEnd, measureKind } = group[0];
    const rows = await sliceFigures(db, indicatorId, periodId);
    const disclosed = await disclosedRows(db, { id: indicatorId, measureKind }, rows.map((row) => ({ ...row, startDate: periodStart, endDate: periodEnd })), threshold);
    const published = new Set(disclosed.filter((row) => !row.suppressed).map((row) => row.organisationId));
    // A change whose provider has no published figure now (withheld, or its figures gone) is withheld too.
    for (const change of group) if (!published.has(change.organisationId)) withheld.add(changeKey(change));
  }
  return withheld;
}
