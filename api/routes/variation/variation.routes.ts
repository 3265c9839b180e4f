import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { networkChance } from '../../analysis/network-chance';
import { funnelSummary, isOutlier } from '../../analysis/peer-funnel';
import { rankFindings, variationFindings } from '../../analysis/variation-findings';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findNetwork, networkMemberCodes } from '../../queries/catalogue.queries';
import { indicatorsReportedBy, loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { periodTarget } from '../../queries/targets.queries';
import { conventionSummary, funnelMethodQuery, funnelOptions, indicatorSummary, periodSummary, viewMethodSummary } from '../funnel-views';
import { code, periodLabel } from '../parameters';

const variationQuery = z.object({
  network: code,
  period: periodLabel.optional(),
  recent: z.coerce.number().int().min(1).max(40).default(4),
  ...funnelMethodQuery,
});

/**
 * GET /api/variation?network=: the variation finder. Across the network's members and every indicator they
 * report, the providers beyond the 99.8 % limit of the funnel of all providers (after the chosen overdispersion
 * adjustment), ranked by |z|, each with its persistence outside 95 % over the `recent` periods up to and
 * including the one examined (the named period, or else each indicator's latest) and a sentence of its numbers.
 */
export const variationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Variation'], summary: "Variation finder: a network's providers beyond 99.8 % on any indicator, ranked by |z|, with persistence" }),
    validate('query', variationQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const network = await findNetwork(db, query.network, c.get('identity'));
      const assessed = await Promise.all(
        (await indicatorsReportedBy(db, { networkId: network.id })).map(async (indicator) => {
          const periods = await periodsUpTo(db, indicator.id, query.period);
          if (!periods) return [];
          const options = funnelOptions(query, indicator);
          const window = await loadPeerFunnels(db, indicator, periods.slice(-query.recent), options, c.var.suppressionThreshold);
          const latest = window.at(-1)!;
          const members = await networkMemberCodes(db, network.id, latest.period.endDate);
          if (!latest.rows.some((row) => members.has(row.organisationCode))) return [];
          const memberResults = latest.peer.available ? latest.peer.funnel.providers.filter((provider) => members.has(provider.code) && provider.band !== null) : [];
          const judged = { judged: memberResults.map((provider) => provider.code), flagged: memberResults.filter(isOutlier).map((provider) => provider.code) };
          return [{ indicator, period: latest.period, peer: latest.peer, options, target: await periodTarget(db, indicator, latest.period), findings: variationFindings(indicator, window, members), judged }];
        }),
      );
      const indicators = assessed.flat();
      if (indicators.length === 0 && query.period !== undefined) {
        throw new ApiError(404, 'not_found', `No member of ${network.code} has observations for period "${query.period}"`, 'period');
      }
      return c.json({
        network: { code: network.code, name: network.name, kind: network.kind },
        period: query.period ?? null,
        recent: query.recent,
        method: viewMethodSummary(query, c.var.suppressionThreshold),
        findings: rankFindings(indicators.flatMap(({ findings }) => findings)),
        // Findings are judged at 99.8 %: how many chance alone would give across the members' results.
        chance: networkChance(indicators.map(({ judged }) => judged), 0.998),
        // What was assessed, so an indicator without a funnel is seen to have been left out rather than to be clear.
        indicators: indicators.map(({ indicator, period, peer, options, target, findings }) => ({
          ...indicatorSummary(indicator, target),
          period: periodSummary(period),
          method: conventionSummary(options),
          funnel: funnelSummary(peer),
          findings: findings.length,
        })),
      });
    },
  );
