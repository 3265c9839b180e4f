import { and, asc, eq, ilike, inArray } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import type { AppEnv } from '../../context';
import { findNetwork, findOrganisation, latestPeriodEnd, networkMemberCodes, visibleNetworks } from '../../queries/catalogue.queries';
import { validate } from '../../validation';
import { code, codeParam } from '../parameters';

const { organisations, networkMemberships, networks } = schema;
const organisationKinds = ['trust', 'site', 'gp_practice', 'icb', 'region', 'other'] as const;

/** Organisations by network, kind or name, and one organisation with its networks. */
export const organisationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Catalogue'], summary: 'Organisations by network, kind or name search' }),
    validate(
      'query',
      z.object({
        network: code.optional(),
        kind: z.enum(organisationKinds).optional(),
        q: z.string().trim().min(1).max(100).optional(),
        limit: z.coerce.number().int().min(1).max(10_000).default(500),
      }),
    ),
    async (c) => {
      const { db } = c.var.deps;
      const { network, kind, q, limit } = c.req.valid('query');
      let members: string[] | undefined;
      if (network !== undefined) {
        const found = await findNetwork(db, network, c.get('identity'));
        members = [...(await networkMemberCodes(db, found.id, (await latestPeriodEnd(db)) ?? new Date().toISOString().slice(0, 10)))];
      }
      const pattern = q === undefined ? undefined : `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      const rows = await db
        .select({ code: organisations.code, name: organisations.name, kind: organisations.kind })
        .from(organisations)
        .where(
          and(
            kind === undefined ? undefined : eq(organisations.kind, kind),
            members === undefined ? undefined : members.length === 0 ? eq(organisations.id, -1) : inArray(organisations.code, members),
            pattern === undefined ? undefined : ilike(organisations.name, pattern),
          ),
        )
        .orderBy(asc(organisations.name))
        .limit(limit);
      return c.json({ organisations: rows });
    },
  )
  .get('/:code', describeRoute({ tags: ['Catalogue'], summary: 'One organisation with its network memberships' }), validate('param', codeParam), async (c) => {
    const { db } = c.var.deps;
    const { id, parentId: _parentId, ...organisation } = await findOrganisation(db, c.req.valid('param').code);
    const memberships = await db
      .select({ code: networks.code, name: networks.name, kind: networks.kind, validFrom: networkMemberships.validFrom, validTo: networkMemberships.validTo })
      .from(networkMemberships)
      .innerJoin(networks, eq(networks.id, networkMemberships.networkId))
      .where(and(eq(networkMemberships.organisationId, id), visibleNetworks(c.get('identity'))))
      .orderBy(asc(networkMemberships.validFrom));
    return c.json({ organisation, memberships });
  });
