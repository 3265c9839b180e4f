import { and, asc, eq, exists, sql } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import type { AppEnv } from '../../context';
import { findIndicator, findNetwork, indicatorPeriods } from '../../queries/catalogue.queries';
import { indicatorTargetList } from '../../queries/targets.queries';
import { validate } from '../../validation';
import { code, codeParam } from '../parameters';

const { indicators, observations, networkMemberships } = schema;

/** The indicator catalogue: filter by domain or by the network whose providers report it. */
export const indicatorRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Catalogue'], summary: 'Indicators, optionally by domain or network' }),
    validate('query', z.object({ domain: z.string().trim().min(1).max(100).optional(), network: code.optional() })),
    async (c) => {
      const { db } = c.var.deps;
      const { domain, network } = c.req.valid('query');
      const networkId = network === undefined ? undefined : (await findNetwork(db, network, c.get('identity'))).id;
      const rows = await db
        .select()
        .from(indicators)
        .where(
          and(
            domain === undefined ? undefined : eq(indicators.domain, domain),
            networkId === undefined
              ? undefined
              : exists(
                  db
                    .select({ one: sql`1` })
                    .from(observations)
                    .innerJoin(networkMemberships, eq(networkMemberships.organisationId, observations.organisationId))
                    .where(and(eq(observations.indicatorId, indicators.id), eq(networkMemberships.networkId, networkId))),
                ),
          ),
        )
        .orderBy(asc(indicators.domain), asc(indicators.code));
      return c.json({ indicators: rows.map(({ id: _id, ...indicator }) => indicator) });
    },
  )
  .get('/:code', describeRoute({ tags: ['Catalogue'], summary: 'One indicator with its periods and its published targets by date range' }), validate('param', codeParam), async (c) => {
    const { db } = c.var.deps;
    const { id, ...indicator } = await findIndicator(db, c.req.valid('param').code);
    const periods = (await indicatorPeriods(db, id)).map(({ id: _id, ...period }) => period);
    return c.json({ indicator, targets: await indicatorTargetList(db, id), periods });
  })
  .get('/:code/periods', describeRoute({ tags: ['Catalogue'], summary: 'The periods an indicator has data for' }), validate('param', codeParam), async (c) => {
    const { db } = c.var.deps;
    const indicator = await findIndicator(db, c.req.valid('param').code);
    return c.json({ periods: (await indicatorPeriods(db, indicator.id)).map(({ id: _id, ...period }) => period) });
  });
