import { and, asc, count, eq, gt, isNull, lte, or } from 'drizzle-orm';
import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { schema } from '../../../db';
import type { AppEnv } from '../../context';
import { findNetwork, latestPeriodEnd, visibleNetworks } from '../../queries/catalogue.queries';
import { validate } from '../../validation';
import { codeParam, isoDate } from '../parameters';

const { networks, networkMemberships, organisations } = schema;
const networkKinds = ['strategic_clinical_network', 'operational_delivery_network', 'primary_care_network', 'cancer_network', 'icb', 'custom'] as const;

const memberOn = (onDate: string) =>
  and(lte(networkMemberships.validFrom, onDate), or(isNull(networkMemberships.validTo), gt(networkMemberships.validTo, onDate)));

/** Networks by kind, with their members on a date (default: the end of the latest period with data). */
export const networkRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Catalogue'], summary: 'Networks, optionally of one kind, with their number of members' }),
    validate('query', z.object({ kind: z.enum(networkKinds).optional(), date: isoDate.optional() })),
    async (c) => {
      const { db } = c.var.deps;
      const { kind, date } = c.req.valid('query');
      const onDate = date ?? (await latestPeriodEnd(db)) ?? new Date().toISOString().slice(0, 10);
      const rows = await db
        .select({ code: networks.code, name: networks.name, kind: networks.kind, description: networks.description, restricted: networks.restricted, members: count(networkMemberships.id) })
        .from(networks)
        .leftJoin(networkMemberships, and(eq(networkMemberships.networkId, networks.id), memberOn(onDate)))
        .where(and(kind === undefined ? undefined : eq(networks.kind, kind), visibleNetworks(c.get('identity'))))
        .groupBy(networks.id)
        .orderBy(asc(networks.kind), asc(networks.name));
      return c.json({ date: onDate, networks: rows });
    },
  )
  .get(
    '/:code',
    describeRoute({ tags: ['Catalogue'], summary: 'One network and its members on a date' }),
    validate('param', codeParam),
    validate('query', z.object({ date: isoDate.optional() })),
    async (c) => {
      const { db } = c.var.deps;
      const { id, ...network } = await findNetwork(db, c.req.valid('param').code, c.get('identity'));
      const onDate = c.req.valid('query').date ?? (await latestPeriodEnd(db)) ?? new Date().toISOString().slice(0, 10);
      const members = await db
        .select({ code: organisations.code, name: organisations.name, kind: organisations.kind, validFrom: networkMemberships.validFrom, validTo: networkMemberships.validTo })
        .from(networkMemberships)
        .innerJoin(organisations, eq(organisations.id, networkMemberships.organisationId))
        .where(and(eq(networkMemberships.networkId, id), memberOn(onDate)))
        .orderBy(asc(organisations.name));
      return c.json({ date: onDate, network, members });
    },
  );
