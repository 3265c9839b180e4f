import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { networkChance } from '../../analysis/network-chance';
import { byConcernShare, networkOutlierCounts, type NetworkOutlierCount } from '../../analysis/network-outliers';
import type { AppEnv } from '../../context';
import { schema } from '../../../db';
import { allMemberships, visibleNetworks, indicatorsWithData } from '../../queries/catalogue.queries';
import { loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { conventionSummary, funnelMethodQuery, funnelOptions, viewMethodSummary } from '../funnel-views';

const judgementCoverage = 0.998;
const noCounts: NetworkOutlierCount = { reportingProviders: 0, providersOfConcern: 0, concernShare: null, concernResults: 0, providersBetter: 0, betterResults: 0, judgedIndicators: [] };

/**
 * GET /api/variation/networks: every network the caller may see, with how many of its members give concern now
 * (worse than expected, or beyond either limit without a polarity) apart from those doing better, the chance
 * context of its results, and `ranking`: the networks with a concern, largest share of members first.
 */
export const variationNetworkRoutes = new Hono<AppEnv>()
  .get(
    '/networks',
    describeRoute({
      tags: ['Variation'],
      summary: "Every network with its members and how many of them give concern, or do better than expected, on each indicator's latest funnel",
      description:
        'concernShare is the share of reporting members beyond 99.8 % on the side that gives concern (worse than expected; higher or lower for an indicator without a polarity); ' +
        'better-than-expected results are counted apart. chance sets the outlying results (either side) beside those chance alone gives across the results judged (Binomial(judged, 0.002)). ' +
        'ranking lists the codes of networks with a concern, largest share first.',
    }),
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
            ...judgedSets(peer.available ? peer.funnel.providers : []),
          };
        }),
      );
      const memberships = await allMemberships(db, c.get('identity'));
      const counts = networkOutlierCounts(memberships, current);
      const latestEnd = current.reduce((latest, { periodEnd }) => (periodEnd > latest ? periodEnd : latest), '');
      const networkRows = await db.select({ code: schema.networks.code, name: schema.networks.name, kind: schema.networks.kind, restricted: schema.networks.restricted }).from(schema.networks).where(visibleNetworks(c.get('identity')));
      const networks = networkRows
        .map((network) => {
          const { judgedIndicators, ...count } = counts.get(network.code) ?? noCounts;
          const chance = networkChance(judgedIndicators, judgementCoverage);
          return {
            ...network,
            members: memberships.filter((row) => row.networkCode === network.code && row.validFrom <= latestEnd && (row.validTo === null || row.validTo > latestEnd)).length,
            ...count,
            // Every finding of the network's variation finder, either side.
            outlyingProviders: new Set(judgedIndicators.flatMap(({ flagged }) => flagged)).size,
            outlyingResults: chance.observed,
            chance: { judged: chance.judged, observed: chance.observed, expected: chance.expected, lower: chance.lower, upper: chance.upper, coverage: chance.coverage },
          };
        })
        .sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name));
      return c.json({
        method: viewMethodSummary(query, c.var.suppressionThreshold),
        periods: current.map(({ indicator, period, method }) => ({ indicator, period, method })),
        networks,
        ranking: networks.filter((network) => network.providersOfConcern > 0).sort(byConcernShare).map((network) => network.code),
      });
    },
  );

/** Who a funnel judged (published figures only), who gives concern and who does better than expected. */
function judgedSets(providers: readonly { code: string; judgement: string | null }[]) {
  const judged = providers.filter((provider) => provider.judgement !== null);
  const codes = (keep: (judgement: string | null) => boolean) => new Set(judged.filter((provider) => keep(provider.judgement)).map((provider) => provider.code));
  return {
    judged: codes(() => true),
    concerns: codes((judgement) => judgement === 'worse' || judgement === 'higher' || judgement === 'lower'),
    better: codes((judgement) => judgement === 'better'),
  };
}
