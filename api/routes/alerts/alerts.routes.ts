import { and, eq, isNull } from 'drizzle-orm';
import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import { alertMailConfig } from '../../changes/alert-config';
import { newWebhookSecret } from '../../changes/alert-digests';
import { signatureHeader } from '../../changes/alert-dispatcher';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { answerWrite, formAsJson, formReturnTo } from '../../forms-json';
import { findIndicator, findNetwork, findOrganisation } from '../../queries/catalogue.queries';
import { validate } from '../../validation';
import { code } from '../parameters';
import { deliveriesOf, emailOf, inboxOf, subscriptionsOf, unreadCount } from './alerts.queries';

const { alertSubscriptions, alertDigests } = schema;

const subscriptionRequest = z.object({
  scope: z.enum(['network', 'indicator', 'provider']),
  code,
  // A form's checkbox posts "true"; a script sends a boolean.
  email: z.union([z.boolean(), z.enum(['true', 'false']).transform((flag) => flag === 'true')]).default(false),
  webhookUrl: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    .optional()
    .describe(`Each digest that concerns this subscription is POSTed here as JSON, signed in the ${signatureHeader} header (sha256=HMAC-SHA256 of the body under the secret returned once)`),
});

/** The cookie that carries a new webhook's secret to the Alerts page once, when it was made by a plain form. */
export const webhookSecretCookie = 'va_webhook_secret';

const alertsPage = (c: Context<AppEnv>) => formReturnTo(c, '/alerts');

const idParameter = z.object({ id: z.coerce.number().int().min(1).max(2147483647) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) });

/** Deletes one of the signed-in user's subscriptions; another's, or none, is a 404. */
async function unsubscribe(c: Context<AppEnv>, id: number) {
  const identity = signedInIdentity(c);
  const deleted = await c.var.deps.db.delete(alertSubscriptions).where(and(eq(alertSubscriptions.id, id), eq(alertSubscriptions.userId, identity.userId))).returning({ id: alertSubscriptions.id });
  if (deleted.length === 0) throw new ApiError(404, 'not_found', `No subscription ${id}`, 'id');
}

/**
 * Subscriptions, the inbox of digests and the delivery log, for signed-in users (a session or a token). A
 * subscription names a network (one the user may see), an indicator or a provider; after each load the user
 * gets one digest of the changes that concern them (api/changes/alert-digests.ts).
 */
export const alertRoutes = new Hono<AppEnv>()
  .get('/subscriptions', describeRoute({ tags: ['Alerts'], summary: 'Your subscriptions, and whether e-mail is available' }), requireRole('viewer'), async (c) => {
    const { db } = c.var.deps;
    const identity = signedInIdentity(c);
    return c.json({
      subscriptions: (await subscriptionsOf(db, identity.userId)).map(({ webhookUrl, ...rest }) => ({ ...rest, webhook: webhookUrl ? { url: webhookUrl } : null })),
      email: { available: alertMailConfig() !== null, address: await emailOf(db, identity.userId) },
    });
  })
  .post(
    '/subscriptions',
    describeRoute({ tags: ['Alerts'], summary: 'Subscribe to a network, an indicator or a provider; a webhook secret is in this answer only' }),
    formRefusalsTo(alertsPage),
    requireRole('viewer'),
    formAsJson,
    validate('json', subscriptionRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const request = c.req.valid('json');
      if (request.scope === 'network') await findNetwork(db, request.code, identity);
      else if (request.scope === 'indicator') await findIndicator(db, request.code).catch(() => Promise.reject(new ApiError(404, 'not_found', `No indicator with code "${request.code}"`, 'code')));
      else await findOrganisation(db, request.code).catch(() => Promise.reject(new ApiError(404, 'not_found', `No provider with code "${request.code}"`, 'code')));
      const [existing] = await db.select({ id: alertSubscriptions.id }).from(alertSubscriptions).where(and(eq(alertSubscriptions.userId, identity.userId), eq(alertSubscriptions.scope, request.scope), eq(alertSubscriptions.code, request.code)));
      if (existing) throw new ApiError(409, 'conflict', `You already subscribe to ${request.scope} ${request.code} (subscription ${existing.id})`, 'code');
      const webhookSecret = request.webhookUrl ? newWebhookSecret() : null;
      const [created] = await db
        .insert(alertSubscriptions)
        .values({ userId: identity.userId, scope: request.scope, code: request.code, email: request.email, webhookUrl: request.webhookUrl ?? null, webhookSecret })
        .returning({ id: alertSubscriptions.id, scope: alertSubscriptions.scope, code: alertSubscriptions.code, email: alertSubscriptions.email, createdAt: alertSubscriptions.createdAt });
      if (isFormPost(c) && webhookSecret) {
        // Shown once on the Alerts page, which reads and clears it; never in a URL, where logs would keep it.
        setCookie(c, webhookSecretCookie, `${created.id}.${webhookSecret}`, { path: '/alerts', httpOnly: true, sameSite: 'Strict', secure: new URL(c.req.url).protocol === 'https:', maxAge: 120 });
      }
      return answerWrite(c, { ...created, webhook: request.webhookUrl ? { url: request.webhookUrl, secret: webhookSecret, signatureHeader } : null }, 201, { fallback: '/alerts' });
    },
  )
  .delete('/subscriptions/:id', describeRoute({ tags: ['Alerts'], summary: 'Unsubscribe' }), requireRole('viewer'), validate('param', idParameter), async (c) => {
    await unsubscribe(c, c.req.valid('param').id);
    return c.body(null, 204);
  })
  .post(
    '/subscriptions/:id/delete',
    describeRoute({ tags: ['Alerts'], summary: "Unsubscribe from a plain form (the dashboard without script): back to the form's page" }),
    formRefusalsTo(alertsPage),
    requireRole('viewer'),
    validate('param', idParameter),
    formAsJson,
    async (c) => {
      await unsubscribe(c, c.req.valid('param').id);
      return answerWrite(c, { id: c.req.valid('param').id, deleted: true }, 200, { fallback: '/alerts' });
    },
  )
  .get('/inbox', describeRoute({ tags: ['Alerts'], summary: 'Your digests, newest first, with the number unread' }), requireRole('viewer'), validate('query', listQuery), async (c) => {
    const { db } = c.var.deps;
    const identity = signedInIdentity(c);
    const { limit } = c.req.valid('query');
    return c.json({ unread: await unreadCount(db, identity.userId), digests: await inboxOf(db, identity.userId, limit) });
  })
  .post('/inbox/:id/read', describeRoute({ tags: ['Alerts'], summary: 'Mark a digest read' }), formRefusalsTo(alertsPage), requireRole('viewer'), validate('param', idParameter), formAsJson, async (c) => {
    const { db } = c.var.deps;
    const identity = signedInIdentity(c);
    const { id } = c.req.valid('param');
    const [digest] = await db.select({ id: alertDigests.id }).from(alertDigests).where(and(eq(alertDigests.id, id), eq(alertDigests.userId, identity.userId)));
    if (!digest) throw new ApiError(404, 'not_found', `No digest ${id}`, 'id');
    await db.update(alertDigests).set({ readAt: new Date() }).where(and(eq(alertDigests.id, id), isNull(alertDigests.readAt)));
    if (isFormPost(c)) return answerWrite(c, { id }, 200, { fallback: '/alerts', fragment: `digest-${id}` });
    return c.body(null, 204);
  })
  .get('/deliveries', describeRoute({ tags: ['Alerts'], summary: "Your digests' e-mail and webhook deliveries with every attempt (an admin: everyone's)" }), requireRole('viewer'), validate('query', listQuery), async (c) => {
    const { db } = c.var.deps;
    const identity = signedInIdentity(c);
    const { limit } = c.req.valid('query');
    return c.json({ deliveries: await deliveriesOf(db, identity.role === 'admin' ? null : identity.userId, limit) });
  });
