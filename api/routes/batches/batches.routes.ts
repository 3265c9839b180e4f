import type { Context } from 'hono';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { requireRole, signedInIdentity } from '../../auth/authenticate';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { formRefusalsTo, isFormPost } from '../../forms';
import { validate } from '../../validation';
import { batchView, findBatch, listBatchPage, rollbackRecord } from './batches.queries';
import { batchId, batchList } from './batches.schemas';

function etlOf(c: Context<AppEnv>) {
  const { batchEtl } = c.var.deps;
  if (!batchEtl) throw new ApiError(503, 'rollbacks_unavailable', 'This server does not roll loads back');
  return batchEtl;
}

async function existingBatch(c: Context<AppEnv>, id: number) {
  const row = await findBatch(c.var.deps.db, id);
  if (!row) throw new ApiError(404, 'not_found', `No load batch with id ${id}`, 'id');
  return row;
}

const batchPage = (c: Context<AppEnv>) => `/loads/${encodeURIComponent(c.req.param('id') ?? '')}`;

/**
 * The load history (analysts and admins): every file loaded, newest first; one batch with what a rollback
 * would do now; and the rollback itself, `npm run etl -- rollback <id>`'s own code run as the signed-in
 * user, who is recorded in the audit trail whether it succeeds or is refused.
 */
export const batchRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Loads'], summary: 'The load history, newest first: file, format, rows, rejected rows, status, superseded by, loaded at and by' }),
    requireRole('analyst'),
    validate('query', batchList),
    async (c) => {
      const page = c.req.valid('query');
      const { rows, total } = await listBatchPage(c.var.deps.db, page);
      return c.json({ batches: rows.map(batchView), total, limit: page.limit, offset: page.offset });
    },
  )
  .get(
    '/:id',
    describeRoute({ tags: ['Loads'], summary: 'A load batch, what rolling it back would remove and restore (or why it cannot be), and its rollback once done' }),
    requireRole('analyst'),
    validate('param', batchId),
    async (c) => {
      const { id } = c.req.valid('param');
      const batch = await existingBatch(c, id);
      const plan = await etlOf(c).rollbackPlan(id);
      if (!plan) throw new ApiError(404, 'not_found', `No load batch with id ${id}`, 'id');
      return c.json({ batch: batchView(batch), rollback: plan, rolledBack: batch.status === 'rolled_back' ? await rollbackRecord(c.var.deps.db, id) : null });
    },
  )
  .post(
    '/:id/rollback',
    describeRoute({
      tags: ['Loads'],
      summary: "Roll a load back in one transaction: its rows go, the rows it revised come back, the batches it superseded are current again; refused (409) in the ETL's words when a later batch revised it or it is not loaded",
      description: 'A browser form post is answered with a redirect to the batch’s page in the dashboard.',
    }),
    formRefusalsTo(batchPage),
    requireRole('analyst'),
    validate('param', batchId),
    async (c) => {
      const { id } = c.req.valid('param');
      const identity = signedInIdentity(c);
      await existingBatch(c, id);
      const outcome = await etlOf(c).rollback(id, identity.subject);
      if (!outcome.ok) throw new ApiError(409, 'rollback_refused', `The load cannot be rolled back: ${outcome.reason}`);
      if (isFormPost(c)) return c.redirect(`/loads/${id}`, 303);
      const { ok: _ok, ...result } = outcome;
      return c.json(result);
    },
  );
