import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { alertMailConfig } from '../../api/changes/alert-config';
import { createAlertDispatcher, signatureHeader, type AlertDispatcher } from '../../api/changes/alert-dispatcher';
import { schema } from '../../db';
import { baseFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';
import { startLocalSmtp } from '../support/local-smtp';

/**
 * Overdue cases alerted, with a local SMTP server (smtp-server) and webhook receiver and the dispatcher on a clock the test moves. A case on
 * RT05 × READMIT × 2024/25 Q4 in NET1: lead A follows NET1 (webhook /a), lead B follows RT05 (webhook /b) and
 * READMIT, C follows RT06 (webhook /c) and D follows the restricted SECRET network, which holds RT05 but not the
 * case. When the stage's due date passes: one inbox entry each for A, B and the owner, one signed webhook each
 * for /a and /b, nothing for C or D; a second check sends nothing; the next stage going overdue sends one more.
 * A case opened in SECRET goes to D (an admin) and its owner (granted SECRET), not to B, who follows its provider
 * and indicator but may not see the network. E-mail goes to A (whose subscription asks for it) and the owner.
 */
interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const addDays = (iso: string, days: number) => new Date(Date.parse(`${iso}T12:00:00Z`) + days * 86_400_000);

describeDatabase('overdue case notices', (getDatabase) => {
  const hooks: Hook[] = [];
  let smtp: Awaited<ReturnType<typeof startLocalSmtp>>;
  const secrets = new Map<string, string>();
  let receiver: Server;
  let dispatcher: AlertDispatcher;
  let clock = new Date();
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  let people: Record<'a' | 'b' | 'c' | 'd' | 'owner', { id: number; token: string }>;
  let caseId: number;
  const savedSmtp = process.env.VARIATION_ATLAS_SMTP_URL;

  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: response.status, json: await response.json() };
  };
  const inbox = async (who: keyof typeof people) => (await call(people[who].token, 'GET', '/api/alerts/inbox')).json.digests as { title: string; content: Record<string, any> }[];
  /** One dispatcher run, then until every queued delivery is sent. */
  const check = async () => {
    for (let i = 0; i < 100; i++) {
      await dispatcher.deliverDue();
      const pending = await getDatabase().db.select({ id: schema.alertDeliveries.id }).from(schema.alertDeliveries).where(eq(schema.alertDeliveries.status, 'pending'));
      if (pending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('deliveries did not settle');
  };
  const verified = (hook: Hook) => {
    expect(hook.headers[signatureHeader]).toBe(`sha256=${createHmac('sha256', secrets.get(hook.path)!).update(hook.body).digest('hex')}`);
    return JSON.parse(hook.body);
  };

  beforeAll(async () => {
    smtp = await startLocalSmtp();
    process.env.VARIATION_ATLAS_SMTP_URL = smtp.url;
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        hooks.push({ path: request.url!, headers: request.headers, body });
        response.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
    people = {
      a: await fixture.person('lead-a@example.nhs.uk', 'viewer', 'lead-a@example.nhs.uk'),
      b: await fixture.person('lead-b@example.nhs.uk', 'viewer', 'lead-b@example.nhs.uk'),
      c: await fixture.person('lead-c@example.nhs.uk', 'viewer', null),
      d: await fixture.person('lead-d@example.nhs.uk', 'admin', null),
      owner: await fixture.person('owner@example.nhs.uk', 'analyst', 'owner@example.nhs.uk'),
    };
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    for (const [who, request] of [
      ['a', { scope: 'network', code: 'NET1', email: true, webhookUrl: `${hookUrl}/a` }],
      ['b', { scope: 'provider', code: 'RT05', email: false, webhookUrl: `${hookUrl}/b` }],
      ['b', { scope: 'indicator', code: 'READMIT', email: false }],
      ['c', { scope: 'provider', code: 'RT06', email: false, webhookUrl: `${hookUrl}/c` }],
      ['d', { scope: 'network', code: 'SECRET', email: false, webhookUrl: `${hookUrl}/d` }],
    ] as const) {
      const created = await call(people[who].token, 'POST', '/api/alerts/subscriptions', request);
      expect(created.status).toBe(201);
      if (created.json.webhook) secrets.set(new URL(created.json.webhook.url).pathname, created.json.webhook.secret);
    }
    const opened = await call(people.owner.token, 'POST', '/api/cases', { network: 'NET1', indicator: 'READMIT', organisation: 'RT05', period: '2024/25 Q4' });
    expect(opened.status).toBe(201);
    caseId = opened.json.id;
    dispatcher = createAlertDispatcher(getDatabase().db, { mail: alertMailConfig(), baseDelayMs: 50, now: () => clock });
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    await smtp.close();
    if (savedSmtp === undefined) delete process.env.VARIATION_ATLAS_SMTP_URL;
    else process.env.VARIATION_ATLAS_SMTP_URL = savedSmtp;
    fixture?.files.remove();
  });

  /** Every digit in a notice must be a case id, a subscription id, a date, the days overdue or part of a code or period label: no figure of the finding. */
  const expectFigureFree = (content: Record<string, any>) => {
    let text = JSON.stringify({ ...content, case: { ...content.case, id: null, daysOverdue: null }, subscriptions: content.subscriptions.map((one: object) => ({ ...one, id: null })) });
    for (const known of [`Case ${caseId}`, `${content.case.daysOverdue} day`, content.case.dueOn, '2024/25 Q4', 'RT05', 'NET1']) text = text.split(known).join('');
    expect(text).not.toMatch(/\d/);
  };

  it('sends nothing while the stage is not past its due date', async () => {
    const [{ dueOn }] = await getDatabase().db.select({ dueOn: schema.outlierCases.dueOn }).from(schema.outlierCases).where(eq(schema.outlierCases.id, caseId));
    clock = addDays(dueOn!, 0);
    await check();
    expect(hooks).toHaveLength(0);
    expect(smtp.mails).toHaveLength(0);
    for (const who of ['a', 'b', 'c', 'd', 'owner'] as const) expect(await inbox(who)).toHaveLength(0);
  });

  it('once it is: one inbox entry per concerned person and the owner, one signed webhook per concerned subscription, no figure', async () => {
    const [{ dueOn }] = await getDatabase().db.select({ dueOn: schema.outlierCases.dueOn }).from(schema.outlierCases).where(eq(schema.outlierCases.id, caseId));
    clock = addDays(dueOn!, 3);
    await check();
    expect(hooks.map((hook) => hook.path).sort()).toEqual(['/a', '/b']);
    for (const hook of hooks) {
      const body = verified(hook);
      expect(body).toMatchObject({
        kind: 'case_overdue',
        case: { id: caseId, organisation: { code: 'RT05', name: 'Trust RT05' }, indicator: { code: 'READMIT', name: 'Emergency readmissions' }, period: '2024/25 Q4', stage: { id: 'data_check', label: 'Data check' }, dueOn, daysOverdue: 3 },
      });
      expect(body.subscriptions).toHaveLength(1);
      expectFigureFree(body);
    }
    for (const who of ['a', 'b', 'owner'] as const) {
      const entries = await inbox(who);
      expect(entries, who).toHaveLength(1);
      expect(entries[0].content.sentence).toContain(`Case ${caseId}, Trust RT05 (RT05) on Emergency readmissions in 2024/25 Q4`);
      expect(entries[0].content.sentence).toContain(`"Data check" past its due date of ${dueOn}: 3 days overdue`);
      expectFigureFree(entries[0].content);
    }
    expect(smtp.mails.map((mail) => mail.to).sort()).toEqual(['lead-a@example.nhs.uk', 'owner@example.nhs.uk']);
    for (const mail of smtp.mails) {
      expect(mail.text).toContain(`Subject: Case ${caseId} overdue: Trust RT05 (RT05), Data check`);
      expect(mail.text).toMatch(/past its due date of \d{4}-\d\d-\d\d: 3\s+days overdue/);
    }
    // B's two concerned subscriptions make one entry naming both.
    expect((await inbox('b'))[0].content.subscriptions.map((one: { scope: string }) => one.scope).sort()).toEqual(['indicator', 'provider']);
    for (const who of ['c', 'd'] as const) expect(await inbox(who), who).toHaveLength(0);
  });

  it('a second check, a day later, sends nothing more', async () => {
    await check();
    clock = new Date(clock.getTime() + 86_400_000);
    await check();
    expect(hooks).toHaveLength(2);
    expect(smtp.mails).toHaveLength(2);
    for (const who of ['a', 'b', 'owner'] as const) expect(await inbox(who)).toHaveLength(1);
  });

  it('the case moved on: its next stage going overdue sends one more notice, once though two dispatchers (replicas) check at once', async () => {
    hooks.length = 0;
    smtp.mails.length = 0;
    const moved = await call(people.owner.token, 'POST', `/api/cases/${caseId}/stage`, { stage: 'provider_notified' });
    expect(moved.status).toBe(200);
    const [{ dueOn }] = await getDatabase().db.select({ dueOn: schema.outlierCases.dueOn }).from(schema.outlierCases).where(eq(schema.outlierCases.id, caseId));
    clock = addDays(dueOn!, 1);
    const replica = createAlertDispatcher(getDatabase().db, { mail: alertMailConfig(), now: () => clock });
    await Promise.all([dispatcher.deliverDue(), replica.deliverDue()]);
    await replica.stop();
    await check();
    expect(hooks.map((hook) => hook.path).sort()).toEqual(['/a', '/b']);
    expect(smtp.mails.map((mail) => mail.to).sort()).toEqual(['lead-a@example.nhs.uk', 'owner@example.nhs.uk']);
    for (const hook of hooks) expect(verified(hook).case).toMatchObject({ stage: { id: 'provider_notified', label: 'Provider notified' }, dueOn, daysOverdue: 1 });
    for (const who of ['a', 'b', 'owner'] as const) expect((await inbox(who)).map((entry) => entry.content.case.stage.id), who).toEqual(['provider_notified', 'data_check']);
    for (const who of ['c', 'd'] as const) expect(await inbox(who), who).toHaveLength(0);
  });

  it('a case in a restricted network: told only to those who may see it, not to followers of its provider or indicator without a grant', async () => {
    hooks.length = 0;
    smtp.mails.length = 0;
    const { db } = getDatabase();
    const [secret] = await db.select({ id: schema.networks.id }).from(schema.networks).where(eq(schema.networks.code, 'SECRET'));
    const granted = await fixture.person('secret-lead@example.nhs.uk', 'analyst', null);
    await db.insert(schema.userNetworks).values({ userId: granted.id, networkId: secret.id });
    const opened = await call(granted.token, 'POST', '/api/cases', { network: 'SECRET', indicator: 'READMIT', organisation: 'RT05', period: '2024/25 Q4' });
    expect(opened.status).toBe(201);
    const [{ dueOn }] = await db.select({ dueOn: schema.outlierCases.dueOn }).from(schema.outlierCases).where(eq(schema.outlierCases.id, opened.json.id));
    clock = addDays(dueOn!, 2);
    await check();
    expect(hooks.map((hook) => hook.path)).toEqual(['/d']);
    // D and the owner have no address.
    expect(smtp.mails).toHaveLength(0);
    expect(verified(hooks[0]).case).toMatchObject({ id: opened.json.id, network: { code: 'SECRET' }, daysOverdue: 2 });
    expect((await inbox('d')).map((entry) => entry.content.case.id)).toEqual([opened.json.id]);
    const owners = (await call(granted.token, 'GET', '/api/alerts/inbox')).json.digests;
    expect(owners.map((entry: { content: { case: { id: number } } }) => entry.content.case.id)).toEqual([opened.json.id]);
    for (const who of ['a', 'b', 'owner'] as const) expect(await inbox(who), who).toHaveLength(2);
    expect(await inbox('c')).toHaveLength(0);
  });
});
