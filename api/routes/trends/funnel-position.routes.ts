import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { funnelSummary } from '../../analysis/peer-funnel';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { indicatorPeriods } from '../../queries/catalogue.queries';
import { loadPeerFunnels } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { funnelMethodQuery, funnelOptions, indicatorSummary, methodSummary, periodSummary } from '../funnel-views';
import { code } from '../parameters';
import { loadProviderSeries } from './trends.queries';

const positionQuery = z.object({ indicator: code, organisation: code, ...funnelMethodQuery });

/** Where a provider sat in each period's funnel across all providers. */
export const funnelPositionRoutes = new Hono<AppEnv>()
  .get(
    '/funnel-position',
    describeRoute({ tags: ['Trends'], summary: "A provider's z-score, band and judgement in every period's funnel across all providers" }),
    validate('query', positionQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, organisation } = await loadProviderSeries(db, query.indicator, query.organisation, c.var.suppressionThreshold);
      const options = funnelOptions(query, indicator);
      const funnels = await loadPeerFunnels(db, indicator, await indicatorPeriods(db, indicator.id), options, c.var.suppressionThreshold);
      // A period whose funnel cannot be drawn says why; an indicator with none at all is refused as the funnel route does.
      const reasons = funnels.flatMap(({ peer }) => (peer.available ? [] : [peer.reason]));
      if (reasons.length === funnels.length) throw new ApiError(422, 'funnel_not_available', reasons[0], 'indicator');
      const positions = funnels.map(({ period, rows, peer }) => {
        const provider = peer.available ? peer.providers.get(organisation.code) : undefined;
        return {
          period: periodSummary(period),
          reported: rows.some((row) => row.organisationCode === organisation.code),
          suppressed: provider?.suppressed ?? null,
          value: provider?.value ?? null,
          z: provider?.z ?? null,
          band: provider?.band ?? null,
          judgement: provider?.judgement ?? null,
          funnel: funnelSummary(peer),
        };
      });
      return c.json({
        indicator: indicatorSummary(indicator),
        organisation: { code: organisation.code, name: organisation.name },
        method: methodSummary(options, c.var.suppressionThreshold),
        positions,
      });
    },
  );
