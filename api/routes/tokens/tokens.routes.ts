import { and, desc, eq, isNull } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import { recordAudit } from '../../auth/audit.queries';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import { scopes } from '../../auth/identity';
import { createApiToken } from '../../auth/tokens.queries';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { validate } from '../../validation';

const { apiTokens } = schema;

const tokenRequest = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  scopes: z.array(z.enum(scopes)).min(1).transform((list) => [...new Set(list)]),
  days: z.number().int().min(1).max(365).default(90),
});

/** API tokens for scripts: made for oneself and shown once, listed (never the token) and revoked by their owner or an admin. */
export const tokenRoutes = new Hono<AppEnv>()
  .get('/', describeRoute({ tags: ['Access'], summary: 'Your API tokens: prefix, scopes, expiry, revocation and last use' }), requireRole('viewer'), async (c) => {
    const { db } = c.var.deps;
    const identity = signedInIdentity(c);
    const rows = await db
      .select({
        id: apiTokens.id,
        name: apiTokens.name,
        prefix: apiTokens.prefix,
        scopes: apiTokens.scopes,
        createdAt: apiTokens.createdAt,
        expiresAt: apiTokens.expiresAt,
        revokedAt: apiTokens.revokedAt,
        lastUsedAt: apiTokens.lastUsedAt,
      })
      .from(apiTokens)
      .where(eq(apiTokens.userId, identity.userId))
      .orderBy(desc(apiTokens.id));
    return c.json({ tokens: rows });
  })
  .post(
    '/',
    describeRoute({ tags: ['Access'], summary: 'Create an API token for yourself; the token is in this answer only' }),
    requireRole('analyst'),
    validate('json', tokenRequest),
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const request = c.req.valid('json');
      const created = await createApiToken(db, { userId: identity.userId, ...request });
      await recordAudit(db, identity, { action: 'token_created', details: { tokenId: created.id, prefix: created.prefix, scopes: created.scopes, expiresAt: created.expiresAt } });
      return c.json(created, 201);
    },
  )
  .delete(
    '/:id',
    describeRoute({ tags: ['Access'], summary: 'Revoke one of your API tokens (an admin may revoke any)' }),
    requireRole('analyst'),
    validate('param', z.object({ id: z.coerce.number().int().min(1).max(2 ** 31 - 1) })),
    async (c) => {
      const { db } = c.var.deps;
      const identity = signedInIdentity(c);
      const { id } = c.req.valid('param');
      // Someone else's token answers as a missing one unless the caller is an admin.
      const owned = identity.role === 'admin' ? undefined : eq(apiTokens.userId, identity.userId);
      const [revoked] = await db
        .update(apiTokens)
        .set({ revokedAt: new Date() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt), owned))
        .returning({ id: apiTokens.id, prefix: apiTokens.prefix, userId: apiTokens.userId });
      if (!revoked) throw new ApiError(404, 'not_found', `No live token with id ${id}`, 'id');
      await recordAudit(db, identity, { action: 'token_revoked', details: { tokenId: revoked.id, prefix: revoked.prefix, ownerId: revoked.userId } });
      return c.json({ id: revoked.id, revoked: true });
    },
  );
