import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { networkOutlierCounts } from '../../analysis/network-outliers';
import { isOutlier } from '../../analysis/peer-funnel';
import type { AppEnv } from '../../context';
import { schema } from '../../../db';
import { allMemberships, visibleNetworks, indicatorsWithData } from '../../queries/catalogue.queries';
import { loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { conventionSummary, funnelMethodQuery, funnelOptions, viewMethodSummary } from '../funnel-views';

/** GET /api/variation/networks: every network the caller may see, with how many of its members are outliers now. */
export const variationNetworkRoutes = new Hono<AppEnv>()
  .get(
    '/networks',
    describeRoute({ tags: ['Variation'], summary: "Every network with its members and how many of them are significant outliers on each indicator's latest funnel" }),
    validate('query', z.object(funnelMethodQuery)),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const current = await Promise.all(
        (await indicatorsWithData(db)).map(async (indicator) => {
          const period = (await periodsUpTo(db, indicator.id, undefined))!.at(-1)!;
          const options = funnelOptions(query, indicator);
          const [{ rows, peer }] = await loadPeerFunnels(db, indicator, [period], options, c.var.suppressionThreshold);
          return {
            indicator: indicator.code,
            method: conventionSummary(options),
            periodEnd: period.endDate,
            period: period.label,
            reporting: new Set(rows.map((row) => row.organisationCode)),
            outliers: new Set(peer.available ? peer.funnel.providers.filter(isOutlier).map((provider) => provider.code) : []),
          };
        }),
      );
      const memberships = await allMemberships(db, c.get('identity'));
      const counts = networkOutlierCounts(memberships, current);
      const latestEnd = current.reduce((latest, { periodEnd }) => (periodEnd > latest ? periodEnd : latest), '');
      const networkRows = await db.select({ code: schema.networks.code, name: schema.networks.name, kind: schema.networks.kind, restricted: schema.networks.restricted }).from(schema.networks).where(visibleNetworks(c.get('identity')));
      return c.json({
        method: viewMethodSummary(query, c.var.suppressionThreshold),
        periods: current.map(({ indicator, period, method }) => ({ indicator, period, method })),
        networks: networkRows
          .map((network) => ({
            ...network,
            members: memberships.filter((row) => row.networkCode === network.code && row.validFrom <= latestEnd && (row.validTo === null || row.validTo > latestEnd)).length,
            ...(counts.get(network.code) ?? { reportingProviders: 0, outlyingProviders: 0, outlyingResults: 0 }),
          }))
          .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
      });
    },
  );
