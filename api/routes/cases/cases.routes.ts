import { eq } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import { requireRole } from '../../auth/authenticate';
import { caseFindings } from '../../cases/case-findings';
import { isOverdue, stageOf, type CasePolicy } from '../../cases/case-policy';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { answerWrite, formAsJson, formReturnTo } from '../../forms-json';
import { findIndicator, findNetwork, findOrganisation } from '../../queries/catalogue.queries';
import { validate } from '../../validation';
import { booleanFlag, code, periodLabel } from '../parameters';
import { addCaseNote, caseEvents, changeOwner, findCase, listCases, moveCase, networkPeople, openCase, ownerUser, todayInEngland, type CaseRow } from './cases.queries';

const tags = ['Cases'];
const caseId = z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) });
/** Free text written by people: trimmed, never empty, bounded. */
const text = (max: number) => z.string().trim().min(1).max(max);
const webLink = z
  .url({ protocol: /^https?$/, message: 'must be an http or https link' })
  .max(2000);

const caseListQuery = z.object({
  network: code.optional(),
  organisation: code.optional(),
  indicator: code.optional(),
  status: z.enum(['open', 'closed', 'all']).default('open'),
  overdue: booleanFlag.optional().describe('true: only open cases whose stage was due before today (England)'),
  suppression: z.coerce.number().int().min(0).max(1000).optional(),
  suppressionReason: z.string().trim().min(3).max(500).optional(),
});
const userId = z.coerce.number().int().min(1).max(2 ** 31 - 1);
const notBothOwners = (request: { owner?: string; ownerUserId?: number }) => request.owner === undefined || request.ownerUserId === undefined;
const ownerFields = {
  ownerUserId: userId.optional().describe('The owner as a user who may see the network (GET /api/cases/owners); the case keeps their display name'),
  owner: text(200).optional().describe('An owner named in text only, who is not a user (no overdue notice reaches them)'),
};
const openRequest = z
  .object({ network: code, indicator: code, organisation: code, period: periodLabel, ...ownerFields, note: text(4000).optional() })
  .refine(notBothOwners, { message: 'give ownerUserId or owner, not both', path: ['ownerUserId'] });
const stageRequest = z.object({ stage: z.string().trim().min(1).max(60), note: text(4000).optional() });
const ownerRequest = z
  .object(ownerFields)
  .refine(notBothOwners, { message: 'give ownerUserId or owner, not both', path: ['ownerUserId'] })
  .refine((request) => request.owner !== undefined || request.ownerUserId !== undefined, { message: 'give ownerUserId (or owner)', path: ['ownerUserId'] });
const noteRequest = z.object({ kind: z.enum(['note', 'evidence']).default('note'), text: text(4000), link: webLink.optional() });

function stageSummary(policy: CasePolicy, id: string) {
  const stage = stageOf(policy, id);
  return { id, label: stage?.label ?? id, final: stage?.final ?? false, next: stage?.next ?? [] };
}

/** A case as every answer gives it: its finding (the finder's figures, suppressed alike), stage, due date and whether it is overdue. */
function caseJson(policy: CasePolicy, row: CaseRow, finding: Awaited<ReturnType<typeof caseFindings>> extends Map<number, infer F> ? F : never, today: string) {
  return {
    id: row.id,
    network: { code: row.networkCode, name: row.networkName },
    indicator: { code: row.indicatorCode, name: row.indicatorName, unit: row.indicatorUnit },
    organisation: { code: row.organisationCode, name: row.organisationName },
    period: row.periodLabel,
    stage: stageSummary(policy, row.stage),
    dueOn: row.dueOn,
    overdue: row.closedAt === null && isOverdue(row.dueOn, today),
    owner: row.owner,
    ownerUserId: row.ownerUserId,
    openedBy: row.openedBy,
    openedAt: row.openedAt.toISOString(),
    stageEnteredAt: row.stageEnteredAt.toISOString(),
    closedAt: row.closedAt?.toISOString() ?? null,
    finding,
  };
}

async function casesJson(c: Context<AppEnv>, rows: CaseRow[]) {
  const { db, config } = c.var.deps;
  const today = todayInEngland();
  const findings = await caseFindings(db, rows, c.var.suppressionThreshold);
  return rows.map((row) => caseJson(config.casePolicy, row, findings.get(row.id)!, today));
}

const casePage = (c: Context<AppEnv>) => formReturnTo(c, `/cases/${c.req.param('id') ?? ''}`);

/**
 * Outlier cases: a finding (a network's provider × indicator × period) opened as a case and worked through the
 * stages of the case policy (HQIP's outlier management by default), with an owner, notes and evidence. Anyone
 * who may see the network reads its cases; analysts and admins write them; every change is audited. A restricted
 * network's cases answer as missing to anyone who may not see it.
 */
export const caseRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags, summary: 'Outlier cases of the networks you may see: open by default, `overdue=true` for those past their stage’s due date, with each finding’s figures as the finder gives them' }),
    validate('query', caseListQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const identity = c.get('identity');
      const network = query.network === undefined ? undefined : await findNetwork(db, query.network, identity);
      const rows = await listCases(db, identity, {
        networkId: network?.id,
        organisationCode: query.organisation,
        indicatorCode: query.indicator,
        status: query.status,
        overdueOn: query.overdue ? todayInEngland() : undefined,
      });
      return c.json({ today: todayInEngland(), policy: c.var.deps.config.casePolicy.name, cases: await casesJson(c, rows) });
    },
  )
  .get('/policy', describeRoute({ tags, summary: 'The case policy in force: its stages, what each asks, its deadline in working or calendar days and where it may move' }), (c) =>
    c.json(c.var.deps.config.casePolicy),
  )
  .get(
    '/owners',
    describeRoute({ tags, summary: 'Who may own a case of a network (analysts and admins): the users who may see it, by name' }),
    requireRole('analyst'),
    validate('query', z.object({ network: code })),
    async (c) => {
      const { db } = c.var.deps;
      const network = await findNetwork(db, c.req.valid('query').network, c.get('identity'));
      return c.json({ network: network.code, owners: await networkPeople(db, network) });
    },
  )
  .get('/:id', describeRoute({ tags, summary: 'One case with its history: opened, each stage change, owner changes, notes and evidence, oldest first' }), validate('param', caseId), async (c) => {
    const { db } = c.var.deps;
    const row = await findCase(db, c.get('identity'), c.req.valid('param').id);
    const [json] = await casesJson(c, [row]);
    const events = await caseEvents(db, row.id);
    return c.json({ ...json, events: events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })) });
  })
  .post(
    '/',
    describeRoute({ tags, summary: 'Open a finding as a case (analysts and admins): in the policy’s first stage, due by its deadline; one open case per finding' }),
    formRefusalsTo((c) => formReturnTo(c, '/cases')),
    requireRole('analyst'),
    formAsJson,
    validate('json', openRequest),
    async (c) => {
      const { db, config } = c.var.deps;
      const identity = c.get('identity');
      const request = c.req.valid('json');
      const network = await findNetwork(db, request.network, identity);
      const indicator = await findIndicator(db, request.indicator);
      const organisation = await findOrganisation(db, request.organisation);
      const [period] = await db.select().from(schema.periods).where(eq(schema.periods.label, request.period));
      if (!period) throw new ApiError(404, 'not_found', `No period "${request.period}"`, 'period');
      const owner = request.ownerUserId !== undefined ? await ownerUser(db, network, request.ownerUserId) : request.owner !== undefined ? { userId: null, name: request.owner } : undefined;
      const id = await openCase(
        db,
        identity,
        config.casePolicy,
        { networkId: network.id, networkCode: network.code, indicator, organisation, period, owner, note: request.note },
        todayInEngland(),
      );
      // A browser's form goes on to the case it opened, where its stages are worked.
      if (isFormPost(c)) return c.redirect(`/cases/${id}?saved=opened`, 303);
      const [json] = await casesJson(c, [await findCase(db, identity, id)]);
      return c.json(json, 201);
    },
  )
  .post(
    '/:id/stage',
    describeRoute({ tags, summary: 'Move a case to another stage (analysts and admins); a move the policy does not allow is a 409 `invalid_transition` naming the stages allowed' }),
    formRefusalsTo(casePage),
    requireRole('analyst'),
    validate('param', caseId),
    formAsJson,
    validate('json', stageRequest),
    async (c) => {
      const { db, config } = c.var.deps;
      const identity = c.get('identity');
      const { id } = c.req.valid('param');
      await findCase(db, identity, id);
      const { stage, note } = c.req.valid('json');
      await moveCase(db, identity, config.casePolicy, id, stage, note, todayInEngland());
      const [json] = await casesJson(c, [await findCase(db, identity, id)]);
      return answerWrite(c, json, 200, { fallback: `/cases/${id}` });
    },
  )
  .post(
    '/:id/owner',
    describeRoute({ tags, summary: 'Give a case a new owner (analysts and admins): a user who may see its network (`ownerUserId`), else a 422 naming it' }),
    formRefusalsTo(casePage),
    requireRole('analyst'),
    validate('param', caseId),
    formAsJson,
    validate('json', ownerRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = c.get('identity');
      const { id } = c.req.valid('param');
      const found = await findCase(db, identity, id);
      const request = c.req.valid('json');
      const owner = request.ownerUserId !== undefined ? await ownerUser(db, { id: found.networkId, restricted: found.networkRestricted, code: found.networkCode }, request.ownerUserId) : { userId: null, name: request.owner! };
      const changed = await changeOwner(db, identity, id, owner);
      const [json] = await casesJson(c, [await findCase(db, identity, id)]);
      return answerWrite(c, { ...json, changed }, 200, { fallback: `/cases/${id}` });
    },
  )
  .post(
    '/:id/notes',
    describeRoute({ tags, summary: 'Add a note, or evidence (text with an optional http(s) link), to a case (analysts and admins)' }),
    formRefusalsTo(casePage),
    requireRole('analyst'),
    validate('param', caseId),
    formAsJson,
    validate('json', noteRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = c.get('identity');
      const { id } = c.req.valid('param');
      await findCase(db, identity, id);
      const eventId = await addCaseNote(db, identity, id, c.req.valid('json'));
      return answerWrite(c, { caseId: id, eventId }, 201, { fallback: `/cases/${id}`, fragment: `event-${eventId}` });
    },
  );
