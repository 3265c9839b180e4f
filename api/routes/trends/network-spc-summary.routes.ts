import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { memberSpcStatus, spcCounts, type MemberSpcStatus } from '../../analysis/network-spc-summary';
import type { ProviderSpcOptions } from '../../analysis/provider-spc';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findNetwork } from '../../queries/catalogue.queries';
import { indicatorsReportedBy, periodsUpTo } from '../../queries/peer-funnels.queries';
import { indicatorTargetList, periodTarget } from '../../queries/targets.queries';
import { validate } from '../../validation';
import { indicatorSummary, periodSummary } from '../funnel-views';
import { booleanFlag, code, periodLabel, suppression, suppressionReason } from '../parameters';
import { loadMemberSeries, loadNetworkSeries } from './trends.queries';

const ruleLength = z.coerce.number().int().min(2).max(50).optional();

const summaryQuery = z.object({
  network: code,
  period: periodLabel.optional().describe("The period summarised; default: each indicator's latest. Each member's chart runs up to it"),
  indicator: code.optional().describe('One indicator only; default: every indicator a member of the network reports'),
  trendLength: ruleLength,
  runLength: ruleLength,
  twoOfThreeBeyondLimits: booleanFlag.optional(),
  suppression,
  suppressionReason,
});

/**
 * GET /api/trends/network-spc-summary?network=: the network's members by Making Data Count status, per indicator.
 * Each member's own SPC chart (the default chart, as `GET /api/trends/spc` draws it) up to the period gives its
 * variation and assurance icons; the counts say how many members show each, and the network's pooled chart
 * (`GET /api/trends/network-spc`) its own icons. Disclosure: a member whose figure in the period is withheld shows
 * no icon (`withheld`), and withheld earlier periods are missing from every chart, so no icon depends on a
 * withheld figure.
 */
export const networkSpcSummaryRoutes = new Hono<AppEnv>().get(
  '/network-spc-summary',
  describeRoute({
    tags: ['Trends'],
    summary: "A network's members by SPC variation and assurance (Making Data Count) on each indicator, with the network's pooled chart's icons",
    description:
      'Per indicator, in the period asked for or else its latest: each member (on the period\'s last day) that reports it, with its status (charted with variation and assurance; withheld, its figure being withheld by disclosure control, with no icon; or not_charted with the reason), ' +
      'counts of members by variation (improvement, concern, neutral, common cause) and assurance (pass, fail, hit and miss, no target), and the pooled chart of the network. ' +
      'Each member\'s chart is its default SPC chart up to the period, as GET /api/trends/spc draws it, with the same rule lengths.',
  }),
  validate('query', summaryQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const threshold = c.var.suppressionThreshold;
    const network = await findNetwork(db, query.network, c.get('identity'));
    const reported = await indicatorsReportedBy(db, { networkId: network.id });
    const chosen = query.indicator === undefined ? reported : reported.filter((indicator) => indicator.code === query.indicator);
    if (chosen.length === 0 && query.indicator !== undefined) throw new ApiError(404, 'not_found', `No member of ${network.code} reports ${query.indicator}`, 'indicator');
    const rules = { trendLength: query.trendLength, runLength: query.runLength, twoOfThreeCountsBeyondLimits: query.twoOfThreeBeyondLimits } satisfies ProviderSpcOptions;
    const loaded = await Promise.all(
      chosen.map(async (indicator) => {
        const period = (await periodsUpTo(db, indicator.id, query.period))?.at(-1);
        if (!period) return [];
        const targets = await indicatorTargetList(db, indicator.id);
        const members = (await loadMemberSeries(db, indicator, network.id, period, threshold)).map((member) => ({
          code: member.code,
          name: member.name,
          reported: member.series.some((row) => row.period === period.label),
          spc: memberSpcStatus(indicator, member.series, period.label, { ...rules, targets }),
        }));
        const reporting = members.filter((member) => member.reported).map(({ code, name, spc }) => ({ code, name, spc }));
        if (reporting.length === 0) return [];
        return [
          {
            indicator: indicatorSummary(indicator, await periodTarget(db, indicator, period)),
            period: periodSummary(period),
            network: await pooledStatus(indicator.code, period),
            counts: spcCounts(reporting, members.length - reporting.length),
            members: reporting.map(({ code, name, spc }) => ({ code, name, ...spc })),
          },
        ];

        /** The network's pooled chart up to the period (members on each period's last day, published figures only). */
        async function pooledStatus(indicatorCode: string, summarised: { label: string; endDate: string }): Promise<MemberSpcStatus & { providers: number | null }> {
          try {
            const { series } = await loadNetworkSeries(db, indicatorCode, network.code, c.get('identity'), threshold);
            const upTo = series.filter((row) => row.endDate <= summarised.endDate);
            const status = memberSpcStatus(indicator, upTo, summarised.label, { ...rules, targets });
            return { ...status, providers: upTo.find((row) => row.period === summarised.label)?.providers ?? null };
          } catch (error) {
            if (error instanceof ApiError && error.status === 404) return { status: 'not_charted', reason: error.message, providers: null };
            throw error;
          }
        }
      }),
    );
    const indicators = loaded.flat();
    if (indicators.length === 0 && query.period !== undefined) throw new ApiError(404, 'not_found', `No member of ${network.code} has observations for period "${query.period}"`, 'period');
    return c.json({
      network: { code: network.code, name: network.name, kind: network.kind },
      period: query.period ?? null,
      settings: { chart: 'default' as const, trendLength: query.trendLength ?? null, runLength: query.runLength ?? null, suppressionThreshold: threshold },
      indicators,
    });
  },
);
