import { and, desc, eq, gte, lt } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import { requireRole } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { validate } from '../../validation';

const { auditEvents, users } = schema;

const auditQuery = z.object({
  action: z.string().trim().regex(/^[a-z_]{1,40}$/, 'must be an action name such as sign_in or load').optional(),
  outcome: z.enum(['success', 'failure']).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});

/** The audit trail for admins, newest first, each row with the acting user's name if there is one: by action, outcome and a time window (from inclusive, to exclusive), a page at a time. */
export const auditRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Access'], summary: 'Audit events (admins only): who did what, when and with what outcome' }),
  requireRole('admin'),
  validate('query', auditQuery),
  async (c) => {
    const { db } = c.var.deps;
    const { action, outcome, from, to, limit, offset } = c.req.valid('query');
    const events = await db
      .select({
        id: auditEvents.id,
        occurredAt: auditEvents.occurredAt,
        actor: auditEvents.actor,
        actorName: users.displayName,
        userId: auditEvents.userId,
        action: auditEvents.action,
        details: auditEvents.details,
        outcome: auditEvents.outcome,
      })
      .from(auditEvents)
      .leftJoin(users, eq(users.id, auditEvents.userId))
      .where(
        and(
          action === undefined ? undefined : eq(auditEvents.action, action),
          outcome === undefined ? undefined : eq(auditEvents.outcome, outcome),
          from === undefined ? undefined : gte(auditEvents.occurredAt, new Date(from)),
          to === undefined ? undefined : lt(auditEvents.occurredAt, new Date(to)),
        ),
      )
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
      .limit(limit + 1)
      .offset(offset);
    // One row beyond the page says whether there is a next one without counting the whole table.
    return c.json({ events: events.slice(0, limit), limit, offset, more: events.length > limit });
  },
);
