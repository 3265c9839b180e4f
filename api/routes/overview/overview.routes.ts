import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { networkChance } from '../../analysis/network-chance';
import { networkOverview, type OverviewColumn } from '../../analysis/network-overview';
import type { TargetInForce } from '../../analysis/target-in-force';
import { funnelSummary, isOutlier } from '../../analysis/peer-funnel';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findNetwork, networkMemberCodes, type IndicatorRecord, type PeriodRecord } from '../../queries/catalogue.queries';
import { indicatorsReportedBy, loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { periodTarget } from '../../queries/targets.queries';
import { conventionSummary, funnelMethodQuery, funnelOptions, indicatorSummary, periodSummary, viewMethodSummary, type ResolvedFunnelOptions } from '../funnel-views';
import { code, periodLabel } from '../parameters';

const overviewQuery = z.object({ network: code, period: periodLabel.optional(), ...funnelMethodQuery });

/**
 * GET /api/overview?network=: the network's tartan rug. For every indicator its members report, in the named
 * period or else the indicator's latest, each member's value and judgement in the funnel of all providers of
 * the indicator (the peer group), with counts of outliers (beyond 99.8 %) and of values outside 95 %.
 */
export const overviewRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Variation'], summary: "A network's members by indicator: values and judgements against all providers (tartan rug)" }),
  validate('query', overviewQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const network = await findNetwork(db, query.network, c.get('identity'));
    const loaded = await Promise.all(
      (await indicatorsReportedBy(db, { networkId: network.id })).map(async (indicator) => {
        const period = (await periodsUpTo(db, indicator.id, query.period))?.at(-1);
        if (!period) return [];
        const members = await networkMemberCodes(db, network.id, period.endDate);
        const options = funnelOptions(query, indicator);
        const [{ rows, peer }] = await loadPeerFunnels(db, indicator, [period], options, c.var.suppressionThreshold);
        // An indicator none of the members reported in the period has no column.
        return rows.some((row) => members.has(row.organisationCode)) ? [{ indicator, period, rows, peer, members, options, target: await periodTarget(db, indicator, period) }] : [];
      }),
    );
    const columns: (OverviewColumn & { indicator: IndicatorRecord; period: PeriodRecord; options: ResolvedFunnelOptions; target: TargetInForce | null })[] = loaded.flat();
    if (columns.length === 0 && query.period !== undefined) {
      throw new ApiError(404, 'not_found', `No member of ${network.code} has observations for period "${query.period}"`, 'period');
    }
    const { cells, indicatorCounts, providerCounts } = networkOverview(columns);
    const names = new Map(columns.flatMap(({ rows }) => rows.map((row) => [row.organisationCode, row.organisationName] as const)));
    const providers = [...providerCounts.entries()]
      .map(([organisation, counts]) => ({ code: organisation, name: names.get(organisation)!, counts }))
      .sort((a, b) => a.name.localeCompare(b.name));
    return c.json({
      network: { code: network.code, name: network.name, kind: network.kind },
      period: query.period ?? null,
      method: viewMethodSummary(query, c.var.suppressionThreshold),
      indicators: columns.map(({ indicator, period, peer, options, target }) => ({
        ...indicatorSummary(indicator, target),
        period: periodSummary(period),
        method: conventionSummary(options),
        funnel: funnelSummary(peer),
        counts: indicatorCounts.get(indicator.code)!,
      })),
      providers,
      cells,
      // The rug's outliers beside those chance alone gives at 99.8 % across its judged cells.
      chance: networkChance(
        columns.map(({ indicator }) => {
          const judged = cells.filter((cell) => cell.indicator === indicator.code && cell.judgement !== null);
          return { judged: judged.map((cell) => cell.organisation), flagged: judged.filter(isOutlier).map((cell) => cell.organisation) };
        }),
        0.998,
      ),
    });
  },
);
