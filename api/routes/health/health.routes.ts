import { sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { queryRows } from '../../../db';
import type { AppEnv } from '../../context';
import { tableCounts } from './health.queries';

/**
 * GET /api/health: ok, or a 503 while the database cannot be reached, for anyone; the database kind for a
 * signed-in user; row counts for an admin only, since a count of networks would reveal that restricted ones exist.
 */
export const healthRoutes = new Hono<AppEnv>().get('/', describeRoute({ tags: ['Service'], summary: 'Liveness; the database kind when signed in, row counts for admins' }), async (c) => {
  const { db, databaseKind } = c.var.deps;
  const identity = c.get('identity');
  // Asked of the database itself, so an outage is the usual 503 database_unavailable.
  await queryRows(db, sql`select 1 as up`);
  if (identity.kind === 'local') return c.json({ status: 'ok' as const });
  if (identity.role !== 'admin') return c.json({ status: 'ok' as const, database: databaseKind });
  return c.json({ status: 'ok' as const, database: databaseKind, counts: await tableCounts(db) });
});
