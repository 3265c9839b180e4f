import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import type { AppEnv } from '../../context';
import { tableCounts } from './health.queries';

/** GET /api/health: liveness with the database kind and what it holds. */
export const healthRoutes = new Hono<AppEnv>().get('/', describeRoute({ tags: ['Service'], summary: 'Liveness, the database kind and row counts' }), async (c) => {
  const { db, databaseKind } = c.var.deps;
  return c.json({ status: 'ok' as const, database: databaseKind, counts: await tableCounts(db) });
});
