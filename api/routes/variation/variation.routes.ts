import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { funnelMethodSensitivity, funnelOverdispersionEstimate } from '../../analysis/method-sensitivity';
import { networkChance, persistenceChance } from '../../analysis/network-chance';
import { funnelSummary, isOutlier } from '../../analysis/peer-funnel';
import { methodSensitiveMembers, persistentOutliers, rankFindings, variationFindings } from '../../analysis/variation-findings';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findNetwork, networkMemberCodes } from '../../queries/catalogue.queries';
import { indicatorsReportedBy, loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { periodTarget } from '../../queries/targets.queries';
import { conventionSummary, funnelMethodQuery, funnelOptions, indicatorSummary, periodSummary, viewMethodSummary } from '../funnel-views';
import { booleanFlag, code, periodLabel } from '../parameters';
import { nearestQuery, peerGroupQuery } from '../peers/peers.schemas';
import type { MemberPeersRequest } from './member-peer-groups';
import { peerFindings } from './variation-peers';

const variationQuery = z
  .object({
    network: code,
    period: periodLabel.optional(),
    recent: z.coerce.number().int().min(1).max(40).default(4),
    persistence: z.coerce
      .number()
      .int()
      .min(2)
      .max(40)
      .optional()
      .describe('k: list the members outside the same 95 % limit in each of the last k periods; default 4, or `recent` when that is fewer; at most `recent`'),
    benchmark: z
      .enum(['all', 'peers'])
      .default('all')
      .describe(
        'Whom each member is judged against: all (the funnel of every provider) or peers (its own peer group: the saved set `peers`, or with nearest=true its own k nearest neighbours on `attributes` with `weights`, `within` a category; the funnel of the group and the member, centred on the published peers’ pooled value, at least 3, its overdispersion estimated over the group)',
      ),
    peers: peerGroupQuery.peers,
    nearest: booleanFlag.optional().describe('With benchmark=peers: judge each member against its own nearest neighbours (k, attributes, weights, within)'),
    ...nearestQuery,
    ...funnelMethodQuery,
  })
  .refine((query) => query.persistence === undefined || query.persistence <= query.recent, {
    message: 'must be at most recent, the periods examined',
    path: ['persistence'],
  });

/** The peer groups a benchmark=peers request names, or a 400 naming `peers` when it names none or both. */
function memberPeersRequest(query: z.infer<typeof variationQuery>): MemberPeersRequest | undefined {
  if (query.benchmark !== 'peers') return undefined;
  const nearest = query.nearest === true;
  if ((query.peers === undefined) === !nearest) {
    throw new ApiError(400, 'invalid_parameter', 'peers: benchmark=peers needs either peers=ID (a saved peer set) or nearest=true (each member’s own nearest neighbours), not both', 'peers');
  }
  return query.peers !== undefined ? { peers: query.peers } : { nearest: { k: query.k, attributes: query.attributes, weights: query.weights, within: query.within } };
}

/**
 * GET /api/variation?network=: the variation finder. Across the network's members and every indicator they
 * report, the providers beyond the 99.8 % limit of the funnel of all providers (after the chosen overdispersion
 * adjustment), concerns first then by |adjusted z| (rankFindings), each with its persistence outside 95 % over the
 * `recent` periods up to and including the one examined (the named period, or else each indicator's latest), its
 * verdict under every method the product offers (method-sensitivity.ts) and a sentence of its numbers. Beside
 * them: `persistent`, the members outside the same 95 % limit in each of the last k periods whether or not beyond
 * 99.8 % now; `methodSensitive`, the members whose latest verdict changes with the method; and the chance context
 * of each count. With benchmark=peers each member is judged against its own peer group instead (variation-peers.ts).
 */
export const variationRoutes = new Hono<AppEnv>()
  .get(
    '/',
    describeRoute({ tags: ['Variation'], summary: "Variation finder: a network's providers beyond 99.8 % on any indicator (of all providers' funnel, or of each one's own peers'), ranked by |z|, with persistence" }),
    validate('query', variationQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      // Persistence needs two periods at least; with one examined there is none to list.
      const k = query.persistence ?? (query.recent >= 2 ? Math.min(4, query.recent) : null);
      const network = await findNetwork(db, query.network, c.get('identity'));
      const peersRequest = memberPeersRequest(query);
      if (peersRequest) return c.json(await peerFindings(db, network, query, peersRequest, k, c.var.suppressionThreshold));
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
          const sensitivity = latest.peer.available ? funnelMethodSensitivity(indicator, latest.peer.funnel) : new Map();
          const overdispersion = latest.peer.available ? funnelOverdispersionEstimate(indicator, latest.peer.funnel, options) : null;
          const persistent = k === null ? [] : persistentOutliers(indicator, window, members, k);
          // The pairs that could have been persistent: members judged in each of the last k periods.
          const lastK = k === null || window.length < k ? [] : window.slice(-k);
          const persistenceJudged = lastK.length === 0 ? 0 : [...members].filter((code) => lastK.every(({ peer }) => peer.available && peer.providers.get(code)?.judgement != null)).length;
          return [
            {
              indicator,
              period: latest.period,
              peer: latest.peer,
              options,
              target: await periodTarget(db, indicator, latest.period),
              findings: variationFindings(indicator, window, members, sensitivity),
              persistent,
              methodSensitive: methodSensitiveMembers(indicator, latest, members, sensitivity),
              tau2Interval: overdispersion?.tau2Interval ?? null,
              judged,
              persistenceJudged,
            },
          ];
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
        persistence: k,
        method: viewMethodSummary(query, c.var.suppressionThreshold),
        findings: rankFindings(indicators.flatMap(({ findings }) => findings)),
        // Findings are judged at 99.8 %: how many chance alone would give across the members' results.
        chance: networkChance(indicators.map(({ judged }) => judged), 0.998),
        persistent: rankFindings(indicators.flatMap(({ persistent }) => persistent)),
        persistentChance:
          k === null ? null : persistenceChance(indicators.reduce((sum, { persistenceJudged }) => sum + persistenceJudged, 0), indicators.reduce((sum, { persistent }) => sum + persistent.length, 0), k),
        methodSensitive: rankFindings(indicators.flatMap(({ methodSensitive }) => methodSensitive)),
        // What was assessed, so an indicator without a funnel is seen to have been left out rather than to be clear.
        indicators: indicators.map(({ indicator, period, peer, options, target, findings, persistent, methodSensitive, tau2Interval }) => ({
          ...indicatorSummary(indicator, target),
          period: periodSummary(period),
          method: conventionSummary(options),
          // τ² with its Q-profile 95 % interval (Viechtbauer 2007), on the funnel's own scale and trimming.
          funnel: peer.available ? { ...funnelSummary(peer), tau2Interval } : funnelSummary(peer),
          findings: findings.length,
          persistent: persistent.length,
          methodSensitive: methodSensitive.length,
        })),
      });
    },
  );
