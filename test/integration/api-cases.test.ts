import { and, eq, sql } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { asPerson, casePeople, type CasePerson } from '../support/case-people';
import { describeDemoApi, getJson } from '../support/demo-api';
import { rawObservations, stackTracePattern } from '../support/raw-observations';

const network = 'KB-MT-ODN';
// England and Wales bank holidays as published, so due dates are checked against a calendar the code did not make.
const bankHolidays = new Set(['2026-12-25', '2026-12-28', '2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28']);
function workingDaysAfter(from: string, days: number): string {
  const date = new Date(`${from}T00:00:00Z`);
  let counted = 0;
  while (counted < days) {
    date.setUTCDate(date.getUTCDate() + 1);
    const iso = date.toISOString().slice(0, 10);
    if (date.getUTCDay() !== 0 && date.getUTCDay() !== 6 && !bankHolidays.has(iso)) counted += 1;
  }
  return date.toISOString().slice(0, 10);
}
const todayInLondon = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date());

interface Finding {
  indicator: string;
  organisation: { code: string; name: string };
  period: string;
  value: number;
  adjustedZ: number;
  band: string;
  judgement: string;
}

describeDemoApi('API outlier cases', ({ app, database }) => {
  let people: Awaited<ReturnType<typeof casePeople>>;
  let finding: Finding;
  let caseId: number;
  const as = (who: CasePerson | undefined) => asPerson(app(), who === undefined ? undefined : people[who].token);

  beforeAll(async () => {
    people = await casePeople(database().db);
    const variation = await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`);
    finding = variation.findings[0];
  });

  const opening = () => ({ network, indicator: finding.indicator, organisation: finding.organisation.code, period: finding.period });

  it('lets only analysts and admins open a case: the anonymous viewer is told to sign in, a viewer is refused', async () => {
    expect((await as(undefined)('/api/cases', { json: opening() })).status).toBe(401);
    const refused = await as('viewer')('/api/cases', { json: opening() });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error.code).toBe('forbidden');
  });

  it('opens a finding as a case in the first stage, due 10 working days on, owned by its opener, with the finder’s figures', async () => {
    const response = await as('analyst')('/api/cases', { json: opening() });
    expect(response.status).toBe(201);
    const opened = await response.json();
    caseId = opened.id;
    expect(opened).toMatchObject({
      network: { code: network },
      indicator: { code: finding.indicator },
      organisation: { code: finding.organisation.code },
      period: finding.period,
      stage: { id: 'data_check', label: 'Data check', final: false },
      dueOn: workingDaysAfter(todayInLondon(), 10),
      overdue: false,
      owner: 'Ann Lead',
      openedBy: 'Ann Lead',
    });
    // The same figures as the finder, which the test recomputes from the raw counts.
    expect(opened.finding).toEqual({ suppressed: false, value: finding.value, adjustedZ: finding.adjustedZ, band: finding.band, judgement: finding.judgement });
    const [raw] = await rawObservations(database().db, finding.indicator, { period: finding.period, organisation: finding.organisation.code });
    const fromCounts = raw.numerator !== null && raw.denominator !== null ? raw.numerator / raw.denominator : raw.observed !== null && raw.expected !== null ? raw.observed / raw.expected : null;
    if (fromCounts !== null) expect(opened.finding.value).toBeCloseTo(fromCounts, 10);
  });

  it('refuses a second open case for the same finding (409), and bad input with a 400 naming the field', async () => {
    const again = await as('analyst')('/api/cases', { json: opening() });
    expect(again.status).toBe(409);
    expect((await again.json()).error).toMatchObject({ code: 'case_already_open' });
    for (const [body, parameter] of [
      [{ ...opening(), organisation: 'not a code!' }, 'organisation'],
      [{ ...opening(), owner: '   ' }, 'owner'],
      [{ network }, 'indicator'],
    ] as const) {
      const response = await as('analyst')('/api/cases', { json: body });
      const text = await response.text();
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(JSON.parse(text).error.parameter).toBe(parameter);
      expect(text).not.toMatch(stackTracePattern);
    }
    // A trust is no member of a primary care network.
    const notMember = await as('analyst')('/api/cases', { json: { ...opening(), network: 'UZ004' } });
    expect(notMember.status).toBe(422);
    expect((await notMember.json()).error).toMatchObject({ code: 'not_a_member', parameter: 'organisation' });
  });

  it('refuses a move the policy does not allow with a 409 JSON error naming the allowed stages, and moves nothing', async () => {
    const response = await as('analyst')(`/api/cases/${caseId}/stage`, { json: { stage: 'escalated' } });
    const text = await response.text();
    expect(response.status).toBe(409);
    expect(JSON.parse(text).error).toMatchObject({ code: 'invalid_transition', parameter: 'stage' });
    expect(JSON.parse(text).error.message).toContain('"provider_notified"');
    expect(text).not.toMatch(stackTracePattern);
    expect((await (await as('analyst')(`/api/cases/${caseId}/stage`, { json: { stage: 'no_such_stage' } })).json()).error.code).toBe('invalid_parameter');
    expect((await getJson(app(), `/api/cases/${caseId}`)).stage.id).toBe('data_check');
  });

  it('moves through the stages, each due by its own deadline, audits every move, and refuses any move once closed', async () => {
    const move = async (stage: string, note?: string) => {
      const response = await as('analyst')(`/api/cases/${caseId}/stage`, { json: { stage, note } });
      expect(response.status, stage).toBe(200);
      return response.json();
    };
    expect((await move('provider_notified', 'Letter sent to the lead clinician')).dueOn).toBe(workingDaysAfter(todayInLondon(), 5));
    expect((await move('response_due')).dueOn).toBe(workingDaysAfter(todayInLondon(), 25));
    const closed = await move('closed', 'Coding error found and corrected');
    expect(closed).toMatchObject({ stage: { id: 'closed', final: true }, dueOn: null, overdue: false });
    expect(closed.closedAt).not.toBeNull();
    const after = await as('analyst')(`/api/cases/${caseId}/stage`, { json: { stage: 'escalated' } });
    expect(after.status).toBe(409);
    expect((await after.json()).error.message).toContain('closed');

    const audited = await database()
      .db.select({ details: schema.auditEvents.details, actor: schema.auditEvents.actor })
      .from(schema.auditEvents)
      .where(and(eq(schema.auditEvents.action, 'case_stage_changed'), sql`(${schema.auditEvents.details} ->> 'caseId')::int = ${caseId}`))
      .orderBy(schema.auditEvents.id);
    expect(audited.map((row) => [row.details.from, row.details.to, row.actor])).toEqual([
      ['data_check', 'provider_notified', 'lead@example.nhs.uk'],
      ['provider_notified', 'response_due', 'lead@example.nhs.uk'],
      ['response_due', 'closed', 'lead@example.nhs.uk'],
    ]);
    const history = await getJson(app(), `/api/cases/${caseId}`);
    expect(history.events.map((event: { kind: string; toStage: string | null }) => `${event.kind}:${event.toStage ?? ''}`)).toEqual(['opened:data_check', 'stage:provider_notified', 'stage:response_due', 'stage:closed']);
    expect(history.events[1].text).toBe('Letter sent to the lead clinician');
  });

  it('keeps notes and evidence with http(s) links only, and a new owner, each audited', async () => {
    const evidence = await as('analyst')(`/api/cases/${caseId}/notes`, { json: { kind: 'evidence', text: 'Trust response', link: 'https://intranet.example.nhs.uk/response.pdf' } });
    expect(evidence.status).toBe(201);
    const script = await as('analyst')(`/api/cases/${caseId}/notes`, { json: { kind: 'evidence', text: 'x', link: 'javascript:alert(1)' } });
    expect(script.status).toBe(400);
    expect((await script.json()).error.parameter).toBe('link');
    expect((await as('viewer')(`/api/cases/${caseId}/notes`, { json: { text: 'viewer note' } })).status).toBe(403);
    const owner = await (await as('admin')(`/api/cases/${caseId}/owner`, { json: { owner: 'Dr Ola Owner' } })).json();
    expect(owner).toMatchObject({ owner: 'Dr Ola Owner', changed: true });
    const actions = await database().db.select({ action: schema.auditEvents.action }).from(schema.auditEvents).where(sql`(${schema.auditEvents.details} ->> 'caseId')::int = ${caseId}`);
    expect(actions.map((row) => row.action).sort()).toEqual(['case_note_added', 'case_opened', 'case_owner_changed', 'case_stage_changed', 'case_stage_changed', 'case_stage_changed']);
  });

  it('lists overdue open cases of a network: only those whose stage was due before today', async () => {
    const variation = await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`);
    const [late, onTime] = variation.findings.slice(1, 3);
    const open = async (one: Finding) => (await (await as('analyst')('/api/cases', { json: { network, indicator: one.indicator, organisation: one.organisation.code, period: one.period } })).json()).id as number;
    const lateId = await open(late);
    const onTimeId = await open(onTime);
    await database().db.update(schema.outlierCases).set({ dueOn: '2026-01-05' }).where(eq(schema.outlierCases.id, lateId));
    const overdue = await getJson(app(), `/api/cases?overdue=true&network=${network}`);
    expect(overdue.cases.map((one: { id: number }) => one.id)).toEqual([lateId]);
    expect(overdue.cases[0]).toMatchObject({ overdue: true, dueOn: '2026-01-05', stage: { id: 'data_check' } });
    const open_ = await getJson(app(), `/api/cases?network=${network}`);
    expect(open_.cases.map((one: { id: number }) => one.id).sort()).toEqual([lateId, onTimeId].sort());
    const all = await getJson(app(), `/api/cases?network=${network}&status=all`);
    expect(all.cases.map((one: { id: number }) => one.id)).toContain(caseId);
    const byProvider = await getJson(app(), `/api/cases?organisation=${late.organisation.code}`);
    expect(byProvider.cases.every((one: { organisation: { code: string } }) => one.organisation.code === late.organisation.code)).toBe(true);
    const bad = await app().request('/api/cases?overdue=maybe');
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.parameter).toBe('overdue');
  });

  it("keeps a restricted network's cases to its members: to anyone else they answer as missing", async () => {
    const db = database().db;
    const [restricted] = await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, network)).returning();
    await db.insert(schema.userNetworks).values({ userId: people.analyst.id, networkId: restricted.id });
    try {
      const member = await as('analyst')(`/api/cases/${caseId}`);
      expect(member.status).toBe(200);
      const outsider = await as('outsider')(`/api/cases/${caseId}`);
      const unknown = await as('outsider')('/api/cases/999999');
      expect(outsider.status).toBe(404);
      expect((await outsider.text()).replace(String(caseId), '999999')).toBe(await unknown.text());
      expect((await (await as('outsider')('/api/cases?status=all')).json()).cases).toEqual([]);
      expect((await as('outsider')(`/api/cases?network=${network}`)).status).toBe(404);
      expect((await as('outsider')(`/api/cases/${caseId}/notes`, { json: { text: 'not mine' } })).status).toBe(404);
      expect((await as(undefined)(`/api/cases/${caseId}`)).status).toBe(404);
      expect((await as('admin')(`/api/cases/${caseId}`)).status).toBe(200);
    } finally {
      await db.update(schema.networks).set({ restricted: false }).where(eq(schema.networks.code, network));
    }
  });

  it("takes the dashboard's plain forms: a 303 to the case opened, back to the page after a move, and a refused move back with its code", async () => {
    const variation = await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network}`);
    const one = variation.findings.at(-1)!;
    const form = (path: string, fields: Record<string, string>) =>
      app().request(path, {
        method: 'POST',
        headers: { authorization: `Bearer ${people.analyst.token}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-mode': 'navigate', referer: `http://localhost/variation?network=${network}` },
        body: new URLSearchParams(fields).toString(),
      });
    const opened = await form('/api/cases', { network, indicator: one.indicator, organisation: one.organisation.code, period: one.period, owner: '' });
    expect(opened.status).toBe(303);
    const id = Number(/^\/cases\/(\d+)\?saved=opened$/.exec(opened.headers.get('location') ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    const moved = await form(`/api/cases/${id}/stage`, { stage: 'provider_notified', note: '', returnTo: `/cases/${id}` });
    expect([moved.status, moved.headers.get('location')]).toEqual([303, `/cases/${id}?saved=1`]);
    const refused = await form(`/api/cases/${id}/stage`, { stage: 'escalated', returnTo: `/cases/${id}` });
    expect([refused.status, refused.headers.get('location')]).toEqual([303, `/cases/${id}?error=invalid_transition`]);
    // A returnTo that leaves the site is not followed.
    const elsewhere = await form(`/api/cases/${id}/notes`, { text: 'noted', returnTo: '//evil.example/' });
    expect(elsewhere.headers.get('location')).toMatch(/^\/variation\?network=KB-MT-ODN&saved=1#event-\d+$/);
  });

  it('publishes the policy in force', async () => {
    const policy = await getJson(app(), '/api/cases/policy');
    expect(policy.stages.map((stage: { id: string; deadline: { days: number; unit: string } | null }) => [stage.id, stage.deadline?.days ?? null, stage.deadline?.unit ?? null])).toEqual([
      ['data_check', 10, 'working'],
      ['provider_notified', 5, 'working'],
      ['response_due', 25, 'working'],
      ['closed', null, null],
      ['escalated', null, null],
    ]);
  });
});
