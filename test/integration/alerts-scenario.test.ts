import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { alertMailConfig } from '../../api/changes/alert-config';
import { createAlertDispatcher, signatureHeader, type AlertDispatcher } from '../../api/changes/alert-dispatcher';
import { createBatchEtl } from '../../etl/batches/batch-etl';
import { baseFile, revisionFile, seedChangesFixture } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';
import { startLocalSmtp } from '../support/local-smtp';

/**
 * The alert loop with real local components: an SMTP server (smtp-server) and an HTTP webhook receiver started
 * here, nodemailer and fetch in the dispatcher, loads and a rollback through the ETL. Two subscribers: lead A
 * follows network NET1 (e-mail and a webhook), lead B follows provider RT05 (e-mail and a webhook) and the
 * indicator READMIT. A revision makes RT05 a new outlier: each gets one e-mail and one inbox entry, each
 * subscription with a webhook one signed POST. The same file again: nothing. The rollback: one correction each.
 */
interface Hook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describeDatabase('alerts end to end', (getDatabase) => {
  const hooks: Hook[] = [];
  let failNextOn: string | null = null;
  let smtp: Awaited<ReturnType<typeof startLocalSmtp>>;
  let receiver: Server;
  let dispatcher: AlertDispatcher;
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  const secrets = new Map<string, string>();
  let a: { id: number; token: string };
  let b: { id: number; token: string };
  const savedSmtp = process.env.VARIATION_ATLAS_SMTP_URL;

  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, batchEtl: createBatchEtl(getDatabase()) });
  const call = async (token: string, method: string, path: string, body?: unknown) => {
    const response = await app().request(path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body) });
    return response.json();
  };
  /** Until every queued delivery is delivered or given up. */
  const settle = async () => {
    for (let i = 0; i < 100; i++) {
      await dispatcher.deliverDue();
      const pending = (await call(adminToken, 'GET', '/api/alerts/deliveries?limit=200')).deliveries.filter((one: { status: string }) => one.status === 'pending');
      if (pending.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error('deliveries did not settle');
  };
  let adminToken: string;

  beforeAll(async () => {
    smtp = await startLocalSmtp();
    receiver = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      request.on('end', () => {
        // A slow receiver: the load must not wait for it.
        setTimeout(() => {
          if (failNextOn === request.url) {
            failNextOn = null;
            response.writeHead(500).end();
            return;
          }
          hooks.push({ path: request.url!, headers: request.headers, body });
          response.writeHead(204).end();
        }, 300);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    process.env.VARIATION_ATLAS_SMTP_URL = smtp.url;

    fixture = await seedChangesFixture(getDatabase());
    await fixture.load(baseFile());
    a = await fixture.person('lead-a@example.nhs.uk', 'viewer', 'lead-a@example.nhs.uk');
    b = await fixture.person('lead-b@example.nhs.uk', 'viewer', 'lead-b@example.nhs.uk');
    adminToken = (await fixture.person('admin@example.nhs.uk', 'admin', null)).token;
    const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    for (const [person, request] of [
      [a, { scope: 'network', code: 'NET1', email: true, webhookUrl: `${hookUrl}/a` }],
      [b, { scope: 'provider', code: 'RT05', email: true, webhookUrl: `${hookUrl}/b` }],
      [b, { scope: 'indicator', code: 'READMIT', email: true }],
    ] as const) {
      const created = await call(person.token, 'POST', '/api/alerts/subscriptions', request);
      if (created.webhook) secrets.set(new URL(created.webhook.url).pathname, created.webhook.secret);
    }
    dispatcher = createAlertDispatcher(getDatabase().db, { mail: alertMailConfig(), baseDelayMs: 50 });
    dispatcher.start();
  });

  afterAll(async () => {
    await dispatcher?.stop();
    await smtp.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    if (savedSmtp === undefined) delete process.env.VARIATION_ATLAS_SMTP_URL;
    else process.env.VARIATION_ATLAS_SMTP_URL = savedSmtp;
    fixture?.files.remove();
  });

  const verified = (hook: Hook) => {
    const expected = `sha256=${createHmac('sha256', secrets.get(hook.path)!).update(hook.body).digest('hex')}`;
    expect(hook.headers[signatureHeader]).toBe(expected);
    return JSON.parse(hook.body);
  };

  it('a revision making RT05 a new outlier: one e-mail and one inbox entry per subscriber, one signed webhook per subscription', async () => {
    // The first POST to /b fails: it is retried with back-off, and the log says so.
    failNextOn = '/b';
    const started = Date.now();
    const loaded = await fixture.load(revisionFile(200));
    expect(loaded.status).toBe('loaded');
    // The load returned without waiting for the receiver, which takes 300 ms to answer.
    expect(hooks).toHaveLength(0);
    expect(Date.now() - started).toBeLessThan(60_000);
    await settle();

    expect(smtp.mails.map((mail) => mail.to).sort()).toEqual(['lead-a@example.nhs.uk', 'lead-b@example.nhs.uk']);
    for (const mail of smtp.mails) {
      expect(mail.text).toContain(`Subject: Load ${loaded.batchId}: `);
      expect(mail.text).toMatch(/Trust RT05 \(RT05\) on Emergency readmissions in 2024\/25 Q4: now above the 99\.8 % limit, worse than\s+expected/);
      expect(mail.text).toMatch(/expected by\s+chance alone/);
    }
    expect(hooks.map((hook) => hook.path).sort()).toEqual(['/a', '/b']);
    for (const hook of hooks) {
      const body = verified(hook);
      expect(body.correction).toBe(false);
      expect(body.changes).toContainEqual(expect.objectContaining({ organisation: { code: 'RT05', name: 'Trust RT05' }, change: 'entered', after: { band: 'above-99.8', judgement: 'worse' } }));
    }
    for (const person of [a, b]) {
      const inbox = await call(person.token, 'GET', '/api/alerts/inbox');
      expect(inbox.digests).toHaveLength(1);
      expect(inbox.digests[0].content.changes.map((change: { sentence: string }) => change.sentence).join(' ')).toContain('Trust RT05 (RT05)');
    }
    const bLog = (await call(b.token, 'GET', '/api/alerts/deliveries')).deliveries;
    const webhook = bLog.find((one: { channel: string }) => one.channel === 'webhook');
    expect(webhook.status).toBe('delivered');
    expect(webhook.attempts.map((attempt: { ok: boolean; status: number | null }) => [attempt.ok, attempt.status])).toEqual([
      [false, 500],
      [true, 204],
    ]);
  });

  it('the same file loaded again produces nothing', async () => {
    const before = { mails: smtp.mails.length, hooks: hooks.length };
    expect((await fixture.reload(revisionFile(200))).status).toBe('unchanged');
    await settle();
    expect({ mails: smtp.mails.length, hooks: hooks.length }).toEqual(before);
    expect((await call(a.token, 'GET', '/api/alerts/inbox')).digests).toHaveLength(1);
  });

  it('rolling it back sends one correction by each channel', async () => {
    smtp.mails.length = 0;
    hooks.length = 0;
    const [latest] = (await call(adminToken, 'GET', '/api/changes?limit=1')).events;
    const rolledBack = await call(adminToken, 'POST', `/api/batches/${latest.batchId}/rollback`);
    expect(rolledBack.batchId).toBe(latest.batchId);
    await settle();
    expect(smtp.mails.map((mail) => mail.to).sort()).toEqual(['lead-a@example.nhs.uk', 'lead-b@example.nhs.uk']);
    for (const mail of smtp.mails) expect(mail.text).toContain(`Subject: Correction: load ${latest.batchId} was rolled back`);
    expect(hooks.map((hook) => hook.path).sort()).toEqual(['/a', '/b']);
    for (const hook of hooks) {
      const body = verified(hook);
      expect(body.correction).toBe(true);
      expect(body.changes).toContainEqual(expect.objectContaining({ organisation: { code: 'RT05', name: 'Trust RT05' }, change: 'left' }));
    }
    for (const person of [a, b]) expect((await call(person.token, 'GET', '/api/alerts/inbox')).digests.map((digest: { correction: boolean }) => digest.correction)).toEqual([true, false]);
  });
});
