import { createHmac } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { sql } from 'drizzle-orm';
import nodemailer from 'nodemailer';
import { queryRows, type Database } from '../../db';
import type { DeliveryAttempt } from '../../db/schema';
import { hqipOutlierPolicy, type CasePolicy } from '../cases/case-policy';
import type { AlertMailConfig } from './alert-config';
import { noticeOverdueCases } from './overdue-notices';

/** The header carrying a webhook body's signature: `sha256=` and the hex HMAC-SHA256 of the raw body under the subscription's secret. */
export const signatureHeader = 'x-variation-atlas-signature';

export const webhookSignature = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

export interface DispatcherOptions {
  mail: AlertMailConfig | null;
  /** Attempts before a delivery is given up as failed. */
  maxAttempts?: number;
  /** The first retry's delay; each next one doubles it. */
  baseDelayMs?: number;
  /** A webhook or SMTP exchange longer than this fails the attempt. */
  timeoutMs?: number;
  /** How often due deliveries and newly overdue cases are looked for, besides after each load commits. */
  pollMs?: number;
  /** The case policy in force, for its stages' names in overdue notices. */
  casePolicy?: CasePolicy;
  /** The time it is; a test moves it past a stage's due date. */
  now?: () => Date;
}

/** Raised after a load or rollback commits with digests queued, so a dispatcher in this process sends them at once. */
const committed = new EventEmitter();

/** Called by the loader after its transaction commits; a dispatcher in this process wakes (in another, it polls). */
export function alertsCommitted(): void {
  committed.emit('committed');
}

interface DueDelivery {
  id: number;
  channel: 'email' | 'webhook';
  target: string;
  payload: string;
  attempts: DeliveryAttempt[];
  secret: string | null;
}

/**
 * Sends queued digests after their load has committed (alert_deliveries is the outbox the load's transaction
 * writes): e-mail through nodemailer's SMTP transport, webhooks as a signed JSON POST. A failed attempt is retried
 * after baseDelay × 2^(attempt − 1), up to maxAttempts, then marked failed; every attempt is logged on the row.
 * A delivery is claimed for the length of one attempt with `for update skip locked`, so replicas on one PostgreSQL
 * never send it twice at once. Slow or failing servers only delay their own delivery: nothing here runs in a load.
 * Each run first queues a notice for every case whose stage has newly gone overdue (api/changes/overdue-notices.ts).
 */
export function createAlertDispatcher(db: Database, options: DispatcherOptions) {
  const maxAttempts = options.maxAttempts ?? 6;
  const baseDelayMs = options.baseDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const transport = options.mail ? nodemailer.createTransport(options.mail.smtpUrl, { connectionTimeout: timeoutMs, socketTimeout: timeoutMs, greetingTimeout: timeoutMs }) : null;
  let running: Promise<number> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;
  const now = options.now ?? (() => new Date());

  async function claim(): Promise<DueDelivery[]> {
    const rows = await queryRows<{ id: number; channel: 'email' | 'webhook'; target: string; payload: string; attempts: DeliveryAttempt[] | string; secret: string | null }>(
      db,
      sql`update alert_deliveries d set next_attempt_at = now() + ${`${Math.ceil((timeoutMs * 3) / 1000)} seconds`}::interval
          from (select id from alert_deliveries where status = 'pending' and next_attempt_at <= now() order by id limit 20 for update skip locked) due
          where d.id = due.id
          returning d.id, d.channel, d.target, d.payload, d.attempts,
            (select webhook_secret from alert_subscriptions s where s.id = d.subscription_id) as secret`,
    );
    return rows.map((row) => ({ ...row, id: Number(row.id), attempts: typeof row.attempts === 'string' ? JSON.parse(row.attempts) : row.attempts }));
  }

  async function send(delivery: DueDelivery): Promise<{ status: number | null }> {
    if (delivery.channel === 'email') {
      if (!transport || !options.mail) throw new Error('e-mail is not configured on this server (VARIATION_ATLAS_SMTP_URL)');
      const { subject, text } = JSON.parse(delivery.payload) as { subject: string; text: string };
      const info = await transport.sendMail({ from: options.mail.from, to: delivery.target, subject, text });
      return { status: Number(/^\d{3}/.exec(info.response ?? '')?.[0] ?? 250) };
    }
    if (!delivery.secret) throw new Error('the subscription was deleted, so there is no secret to sign with');
    const response = await fetch(delivery.target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [signatureHeader]: webhookSignature(delivery.secret, delivery.payload), 'x-variation-atlas-delivery': String(delivery.id) },
      body: delivery.payload,
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await response.body?.cancel();
    if (response.status < 200 || response.status >= 300) throw Object.assign(new Error(`the webhook answered HTTP ${response.status}`), { status: response.status });
    return { status: response.status };
  }

  async function attempt(delivery: DueDelivery): Promise<void> {
    const at = new Date().toISOString();
    try {
      const { status } = await send(delivery);
      const attempts = [...delivery.attempts, { at, ok: true, status, error: null }];
      await queryRows(db, sql`update alert_deliveries set status = 'delivered', delivered_at = now(), attempts = ${JSON.stringify(attempts)}::jsonb where id = ${delivery.id}`);
    } catch (error) {
      const status = typeof (error as { status?: unknown }).status === 'number' ? (error as { status: number }).status : null;
      const attempts = [...delivery.attempts, { at, ok: false, status, error: (error as Error).message.slice(0, 300) }];
      const failed = attempts.length >= maxAttempts;
      const delay = baseDelayMs * 2 ** (attempts.length - 1);
      await queryRows(
        db,
        sql`update alert_deliveries set status = ${failed ? 'failed' : 'pending'}, attempts = ${JSON.stringify(attempts)}::jsonb,
              next_attempt_at = now() + ${`${delay} milliseconds`}::interval where id = ${delivery.id}`,
      );
    }
  }

  /** Queues newly overdue cases' notices, then sends every delivery due now; resolves with how many were attempted. Overlapping calls share one run. */
  function deliverDue(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let attempted = 0;
      do {
        again = false;
        await noticeOverdueCases(db, options.casePolicy ?? hqipOutlierPolicy, now());
        for (let due = await claim(); due.length > 0; due = await claim()) {
          await Promise.all(due.map(attempt));
          attempted += due.length;
        }
      } while (again);
      return attempted;
    })().finally(() => {
      running = null;
    });
    return running;
  }

  const wake = () => void deliverDue().catch(() => {});
  return {
    deliverDue,
    /** Sends after each load in this process commits, and polls for the rest (retries, other processes' loads). */
    start() {
      committed.on('committed', wake);
      timer = setInterval(wake, options.pollMs ?? 15_000);
      timer.unref();
      wake();
    },
    async stop() {
      committed.off('committed', wake);
      clearInterval(timer);
      await running?.catch(() => {});
      transport?.close();
    },
  };
}

export type AlertDispatcher = ReturnType<typeof createAlertDispatcher>;
