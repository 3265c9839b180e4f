import { and, asc, desc, eq, exists, gt, isNotNull, isNull, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { schema, type Database } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import { actorOf, type Identity } from '../../auth/identity';
import { mayMove, stageDueOn, stageOf, type CasePolicy } from '../../cases/case-policy';
import { ApiError } from '../../errors';
import { visibleNetworks } from '../../queries/catalogue.queries';

const { outlierCases, outlierCaseEvents, networks, indicators, organisations, periods, observations, networkMemberships, users, userNetworks } = schema;

/** Today as an ISO date in England, where deadlines fall. */
export const todayInEngland = (now = new Date()) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(now);

/** The name a person is shown by: their display name, else their subject; 'local' for the anonymous viewer (who cannot write). */
export async function authorName(db: Database, identity: Identity): Promise<string> {
  if (identity.kind === 'local') return 'local';
  const [user] = await db.select({ displayName: users.displayName }).from(users).where(eq(users.id, identity.userId));
  return user?.displayName ?? identity.subject;
}

const caseColumns = {
  id: outlierCases.id,
  stage: outlierCases.stage,
  dueOn: outlierCases.dueOn,
  owner: outlierCases.owner,
  ownerUserId: outlierCases.ownerUserId,
  openedBy: outlierCases.openedBy,
  openedAt: outlierCases.openedAt,
  stageEnteredAt: outlierCases.stageEnteredAt,
  closedAt: outlierCases.closedAt,
  networkId: networks.id,
  networkCode: networks.code,
  networkName: networks.name,
  networkRestricted: networks.restricted,
  indicatorId: indicators.id,
  indicatorCode: indicators.code,
  indicatorName: indicators.name,
  indicatorUnit: indicators.unit,
  organisationCode: organisations.code,
  organisationName: organisations.name,
  periodId: periods.id,
  periodLabel: periods.label,
};

export type CaseRow = Awaited<ReturnType<typeof selectCases>>[number];

function selectCases(db: Database, where: SQL | undefined) {
  return db
    .select(caseColumns)
    .from(outlierCases)
    .innerJoin(networks, eq(networks.id, outlierCases.networkId))
    .innerJoin(indicators, eq(indicators.id, outlierCases.indicatorId))
    .innerJoin(organisations, eq(organisations.id, outlierCases.organisationId))
    .innerJoin(periods, eq(periods.id, outlierCases.periodId))
    .where(where)
    .orderBy(asc(outlierCases.dueOn), desc(outlierCases.openedAt), asc(outlierCases.id));
}

export interface CaseFilter {
  networkId?: number;
  organisationCode?: string;
  indicatorCode?: string;
  status: 'open' | 'closed' | 'all';
  /** Open cases whose stage was due before this date. */
  overdueOn?: string;
}

/** The cases of the networks the identity may see, filtered; open ones soonest due first. */
export function listCases(db: Database, identity: Identity, filter: CaseFilter) {
  return selectCases(
    db,
    and(
      visibleNetworks(identity),
      filter.networkId === undefined ? undefined : eq(outlierCases.networkId, filter.networkId),
      filter.organisationCode === undefined ? undefined : eq(organisations.code, filter.organisationCode),
      filter.indicatorCode === undefined ? undefined : eq(indicators.code, filter.indicatorCode),
      filter.status === 'open' || filter.overdueOn !== undefined ? isNull(outlierCases.closedAt) : filter.status === 'closed' ? isNotNull(outlierCases.closedAt) : undefined,
      filter.overdueOn === undefined ? undefined : lt(outlierCases.dueOn, filter.overdueOn),
    ),
  );
}

/** One case, if the identity may see its network; otherwise a 404 exactly as for a case that does not exist. */
export async function findCase(db: Database, identity: Identity, id: number): Promise<CaseRow> {
  const [found] = await selectCases(db, and(eq(outlierCases.id, id), visibleNetworks(identity)));
  if (!found) throw new ApiError(404, 'not_found', `No case with id ${id}`, 'id');
  return found;
}

export function caseEvents(db: Database, caseId: number) {
  return db
    .select({ id: outlierCaseEvents.id, occurredAt: outlierCaseEvents.occurredAt, actor: outlierCaseEvents.actor, kind: outlierCaseEvents.kind, fromStage: outlierCaseEvents.fromStage, toStage: outlierCaseEvents.toStage, text: outlierCaseEvents.text, link: outlierCaseEvents.link })
    .from(outlierCaseEvents)
    .where(eq(outlierCaseEvents.caseId, caseId))
    .orderBy(asc(outlierCaseEvents.occurredAt), asc(outlierCaseEvents.id));
}

/** A case's owner: a user (the name kept is how they are shown), or a name alone for an owner who is not one. */
export interface CaseOwner {
  userId: number | null;
  name: string;
}

/**
 * The users who may see a network, and so may own its cases: everyone for a public network; for a restricted
 * one its members and the admins. By name, then subject.
 */
export function networkPeople(db: Database, network: { id: number; restricted: boolean }, only?: SQL) {
  const granted = exists(db.select({ one: sql`1` }).from(userNetworks).where(and(eq(userNetworks.userId, users.id), eq(userNetworks.networkId, network.id))));
  return db
    .select({ id: users.id, name: sql<string>`coalesce(${users.displayName}, ${users.subject})`, subject: users.subject, role: users.role })
    .from(users)
    .where(and(network.restricted ? or(eq(users.role, 'admin'), granted) : undefined, only))
    .orderBy(sql`lower(coalesce(${users.displayName}, ${users.subject}))`, users.subject);
}

/**
 * The owner a request names by user id: that user, shown by their display name (else subject), if they exist and
 * may see the case's network; otherwise a 422 naming `ownerUserId` (a user who may not see the network answers
 * as one who does not exist, so the refusal does not tell who has a grant).
 */
export async function ownerUser(db: Database, network: { id: number; restricted: boolean; code: string }, userId: number): Promise<CaseOwner> {
  const [person] = await networkPeople(db, network, eq(users.id, userId));
  if (!person) throw new ApiError(422, 'invalid_owner', `ownerUserId: no user ${userId} who may see network ${network.code}`, 'ownerUserId');
  return { userId: person.id, name: person.name };
}

export interface OpenCaseRequest {
  networkId: number;
  networkCode: string;
  indicator: { id: number; code: string };
  organisation: { id: number; code: string };
  period: { id: number; label: string; endDate: string };
  /** Default: the opener (as a user when they are one). */
  owner?: CaseOwner;
  note?: string;
}

/**
 * Opens a finding as a case in the policy's first stage, due by its deadline from today: the provider must have
 * been a member of the network at the period's end and have reported the indicator then. One open case per
 * finding (a second is a 409 naming the open one). The case, its first event and the audit row are one transaction.
 */
export async function openCase(db: Database, identity: Identity, policy: CasePolicy, request: OpenCaseRequest, today: string) {
  const [member] = await db
    .select({ id: networkMemberships.organisationId })
    .from(networkMemberships)
    .where(
      and(
        eq(networkMemberships.networkId, request.networkId),
        eq(networkMemberships.organisationId, request.organisation.id),
        lte(networkMemberships.validFrom, request.period.endDate),
        or(isNull(networkMemberships.validTo), gt(networkMemberships.validTo, request.period.endDate)),
      ),
    );
  if (!member) throw new ApiError(422, 'not_a_member', `${request.organisation.code} was not a member of ${request.networkCode} at the end of ${request.period.label}`, 'organisation');
  const [reported] = await db
    .select({ id: observations.id })
    .from(observations)
    .where(and(eq(observations.indicatorId, request.indicator.id), eq(observations.organisationId, request.organisation.id), eq(observations.periodId, request.period.id)));
  if (!reported) throw new ApiError(422, 'no_finding', `${request.organisation.code} has no figure for ${request.indicator.code} in ${request.period.label}`, 'period');
  const name = await authorName(db, identity);
  const first = policy.stages[0];
  return db.transaction(async (tx) => {
    const [existing] = await tx
      .select({ id: outlierCases.id })
      .from(outlierCases)
      .where(and(eq(outlierCases.networkId, request.networkId), eq(outlierCases.indicatorId, request.indicator.id), eq(outlierCases.organisationId, request.organisation.id), eq(outlierCases.periodId, request.period.id), isNull(outlierCases.closedAt)));
    if (existing) throw new ApiError(409, 'case_already_open', `Case ${existing.id} is already open for this finding`, 'id');
    const [created] = await tx
      .insert(outlierCases)
      .values({
        networkId: request.networkId,
        indicatorId: request.indicator.id,
        organisationId: request.organisation.id,
        periodId: request.period.id,
        stage: first.id,
        dueOn: stageDueOn(policy, first, today),
        owner: request.owner?.name ?? name,
        ownerUserId: request.owner ? request.owner.userId : identity.kind === 'local' ? null : identity.userId,
        openedBy: name,
      })
      .returning({ id: outlierCases.id });
    const actor = actorOf(identity);
    await tx.insert(outlierCaseEvents).values({ caseId: created.id, ...actor, kind: 'opened', toStage: first.id, text: request.note ?? null });
    await recordAudit(tx, identity, {
      action: 'case_opened',
      details: { caseId: created.id, network: request.networkCode, indicator: request.indicator.code, organisation: request.organisation.code, period: request.period.label, stage: first.id },
    });
    return created.id;
  });
}

/**
 * Moves a case to another stage of the policy, audited (`case_stage_changed`). A move the policy does not allow
 * from the current stage (or any move of a closed case) is a 409 naming the stages it may move to; the row is
 * locked so two moves at once cannot both start from the same stage.
 */
export async function moveCase(db: Database, identity: Identity, policy: CasePolicy, id: number, to: string, note: string | undefined, today: string) {
  const target = stageOf(policy, to);
  if (!target) throw new ApiError(400, 'invalid_parameter', `stage: no stage "${to}" in the policy (${policy.stages.map((stage) => stage.id).join(', ')})`, 'stage');
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ stage: outlierCases.stage, closedAt: outlierCases.closedAt }).from(outlierCases).where(eq(outlierCases.id, id)).for('update');
    if (!current) throw new ApiError(404, 'not_found', `No case with id ${id}`, 'id');
    if (!mayMove(policy, current.stage, to)) {
      const allowed = stageOf(policy, current.stage)?.next ?? [];
      throw new ApiError(
        409,
        'invalid_transition',
        `Case ${id} is at "${current.stage}" and cannot move to "${to}"; ${allowed.length === 0 ? 'it is closed' : `it may move to ${allowed.map((stage) => `"${stage}"`).join(' or ')}`}`,
        'stage',
      );
    }
    const now = new Date();
    await tx
      .update(outlierCases)
      .set({ stage: to, dueOn: stageDueOn(policy, target, today), stageEnteredAt: now, closedAt: target.final ? now : null })
      .where(eq(outlierCases.id, id));
    await tx.insert(outlierCaseEvents).values({ caseId: id, ...actorOf(identity), kind: 'stage', fromStage: current.stage, toStage: to, text: note ?? null });
    await recordAudit(tx, identity, { action: 'case_stage_changed', details: { caseId: id, from: current.stage, to } });
  });
}

/** Gives a case a new owner, audited (`case_owner_changed`); the same owner again changes nothing. */
export async function changeOwner(db: Database, identity: Identity, id: number, owner: CaseOwner) {
  return db.transaction(async (tx) => {
    const [current] = await tx.select({ owner: outlierCases.owner, ownerUserId: outlierCases.ownerUserId }).from(outlierCases).where(eq(outlierCases.id, id)).for('update');
    if (!current) throw new ApiError(404, 'not_found', `No case with id ${id}`, 'id');
    if (current.owner === owner.name && current.ownerUserId === owner.userId) return false;
    await tx.update(outlierCases).set({ owner: owner.name, ownerUserId: owner.userId }).where(eq(outlierCases.id, id));
    await tx.insert(outlierCaseEvents).values({ caseId: id, ...actorOf(identity), kind: 'owner', text: owner.name });
    await recordAudit(tx, identity, { action: 'case_owner_changed', details: { caseId: id, from: current.owner, fromUserId: current.ownerUserId, to: owner.name, toUserId: owner.userId } });
    return true;
  });
}

/** Adds a note or a piece of evidence (text, with a link for evidence), audited (`case_note_added`). */
export async function addCaseNote(db: Database, identity: Identity, id: number, note: { kind: 'note' | 'evidence'; text: string; link?: string }) {
  return db.transaction(async (tx) => {
    const [created] = await tx.insert(outlierCaseEvents).values({ caseId: id, ...actorOf(identity), kind: note.kind, text: note.text, link: note.link ?? null }).returning({ id: outlierCaseEvents.id });
    await recordAudit(tx, identity, { action: 'case_note_added', details: { caseId: id, eventId: created.id, kind: note.kind } });
    return created.id;
  });
}
