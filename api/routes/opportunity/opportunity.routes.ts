import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { FunnelNotAvailableError } from '../../analysis/indicator-funnel';
import { indicatorOpportunity, type IndicatorOpportunity } from '../../analysis/indicator-opportunity';
import { minimumPeers, PeerBenchmarkNotAvailableError } from '../../analysis/peer-benchmark';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { opportunityCsv } from '../../exports/opportunity-csv';
import { findIndicator, findNetwork, networkMemberCodes, type IndicatorRecord } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { indicatorsReportedBy, periodsUpTo } from '../../queries/peer-funnels.queries';
import { resolvePeerGroup, type PeerGroup } from '../../queries/peers.queries';
import { periodTarget } from '../../queries/targets.queries';
import { StatsInputError } from '../../stats';
import { validate } from '../../validation';
import { conventionSummary, funnelMethodQuery, funnelOptions, indicatorFunnelOptions, indicatorSummary, periodSummary, viewMethodSummary } from '../funnel-views';
import { code, periodLabel } from '../parameters';
import { peerGroupQuery, peerGroupRequest } from '../peers/peers.schemas';

const opportunityQuery = z.object({
  network: code,
  indicator: code.optional().describe('One indicator; default: every indicator the network’s members report, ranked by total opportunity'),
  period: periodLabel.optional().describe('The period; default: each indicator’s latest'),
  benchmark: z
    .enum(['pooled', 'peers', 'upper-quartile', 'target'])
    .default('pooled')
    .describe(
      'What each member is sized against: pooled (every published provider’s pooled value), peers (a peer group’s, `peers` or `peersOf`, at least 3 published), upper-quartile (the better quartile of all providers’ estimates) or target (the standard in force at the period’s end)',
    ),
  ...peerGroupQuery,
  estimate: z
    .enum(['shrunken', 'observed'])
    .default('shrunken')
    .describe('shrunken (default): each provider’s empirical-Bayes estimate, so chance does not inflate the opportunity; observed: its own rate'),
  ...funnelMethodQuery,
  format: z.enum(['json', 'csv']).default('json'),
});

/**
 * GET /api/opportunity?network=: what it is worth. For each indicator the network's members report (or the one
 * named), the events or patients each member would save or gain at the benchmark, from shrunken estimates, with
 * 95 % intervals, the network's total and its ranking; withheld members have none and are in no total.
 */
export const opportunityRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({
    tags: ['Variation'],
    summary: 'Opportunity sizing: the events or patients that would differ if each network member performed at a benchmark, with intervals, totals and ranks',
  }),
  validate('query', opportunityQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const threshold = c.var.suppressionThreshold;
    const network = await findNetwork(db, query.network, c.get('identity'));
    const peers: PeerGroup | undefined = query.benchmark === 'peers' ? await resolvePeerGroup(db, peerGroupRequest(query)) : undefined;
    const single = query.indicator !== undefined;
    const indicators: IndicatorRecord[] = single ? [await findIndicator(db, query.indicator!)] : await indicatorsReportedBy(db, { networkId: network.id });
    const answers = [];
    for (const indicator of indicators) {
      const periods = await periodsUpTo(db, indicator.id, query.period);
      const period = periods?.at(-1);
      if (!period) {
        if (single) throw new ApiError(404, 'not_found', `${indicator.code} has no observations for period "${query.period}"`, 'period');
        continue;
      }
      const options = single ? indicatorFunnelOptions(query, indicator) : funnelOptions(query, indicator);
      const members = await networkMemberCodes(db, network.id, period.endDate);
      const rows = await periodObservations(db, indicator, period, threshold);
      if (!rows.some((row) => members.has(row.organisationCode))) continue;
      const target = await periodTarget(db, indicator, period);
      let sized: IndicatorOpportunity | null = null;
      let reason: string | null = null;
      try {
        sized = indicatorOpportunity(indicator, rows, members, { ...options, benchmark: query.benchmark, target: target?.value ?? null, peers, estimate: query.estimate });
      } catch (error) {
        if (!(error instanceof FunnelNotAvailableError || error instanceof PeerBenchmarkNotAvailableError || error instanceof StatsInputError)) throw error;
        if (single) throw new ApiError(422, error instanceof PeerBenchmarkNotAvailableError ? 'peers_too_few' : 'opportunity_not_available', error.message, error instanceof PeerBenchmarkNotAvailableError ? 'peers' : 'indicator');
        reason = error.message;
      }
      answers.push({ indicator, period, options, target, sized, reason });
    }
    // Largest total first; indicators without an opportunity last, in the catalogue's order.
    answers.sort((a, b) => (b.sized?.total.opportunity ?? -1) - (a.sized?.total.opportunity ?? -1));
    if (query.format === 'csv') {
      const csv = opportunityCsv(
        network,
        answers.flatMap(({ indicator, period, sized }) => (sized ? [{ indicator: indicator.code, period: period.label, sized }] : [])),
      );
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="opportunity-${network.code}-${query.benchmark}${single ? `-${query.indicator}` : ''}.csv"`,
      });
    }
    return c.json({
      network: { code: network.code, name: network.name },
      benchmark: {
        kind: query.benchmark,
        ...(peers && { peers: { of: peers.of, group: peers.description, minimum: minimumPeers } }),
      },
      estimate: query.estimate,
      method: viewMethodSummary(query, threshold),
      indicators: answers.map(({ indicator, period, options, target, sized, reason }, i) => ({
        ...indicatorSummary(indicator, target),
        period: periodSummary(period),
        method: conventionSummary(options),
        available: sized !== null,
        reason,
        rank: sized ? i + 1 : null,
        benchmark: sized?.benchmark ?? null,
        counts: sized?.counts ?? null,
        shrinkageTau2: sized?.shrinkageTau2 ?? null,
        providers: sized?.providers ?? [],
        total: sized?.total ?? null,
      })),
    });
  },
);
