import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { funnelSummary } from '../../analysis/peer-funnel';
import { providerSpc, SpcNotAvailableError } from '../../analysis/provider-spc';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { indicatorPeriods } from '../../queries/catalogue.queries';
import { loadPeerFunnels } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { funnelMethodQuery, funnelOptions, indicatorSummary, methodSummary, periodSummary } from '../funnel-views';
import { booleanFlag, code, periodLabel, suppression } from '../parameters';
import { loadProviderSeries } from './trends.queries';

const ruleLength = z.coerce.number().int().min(2).max(50).optional();

const spcQuery = z.object({
  indicator: code,
  organisation: code,
  baseline: z.coerce.number().int().min(1).max(1000).optional(),
  // Period labels, comma-separated, at which the limits are recalculated after a known change.
  rebase: z
    .string()
    .max(1000)
    .transform((labels) => labels.split(',').map((label) => label.trim()).filter((label) => label.length > 0))
    .pipe(z.array(periodLabel).min(1, 'must name at least one period'))
    .optional(),
  screen: booleanFlag.optional(),
  trendLength: ruleLength,
  runLength: ruleLength,
  twoOfThreeBeyondLimits: booleanFlag.optional(),
  suppression,
});

const positionQuery = z.object({ indicator: code, organisation: code, ...funnelMethodQuery });

/** A provider over time: its statistical process control chart, and where it sat in each period's funnel. */
export const trendRoutes = new Hono<AppEnv>()
  .get(
    '/spc',
    describeRoute({
      tags: ['Trends'],
      summary: "A provider's series as an SPC chart (p, u or XmR by measure kind) with variation and assurance (Making Data Count)",
    }),
    validate('query', spcQuery),
    async (c) => {
      const { db, config } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, organisation, series } = await loadProviderSeries(db, query.indicator, query.organisation);
      try {
        const chart = providerSpc(indicator, series, {
          baselineLength: query.baseline,
          rebaseAt: query.rebase,
          screenMovingRanges: query.screen,
          trendLength: query.trendLength,
          runLength: query.runLength,
          twoOfThreeCountsBeyondLimits: query.twoOfThreeBeyondLimits,
          suppressionThreshold: query.suppression ?? config.suppressionThreshold,
        });
        return c.json({ indicator: indicatorSummary(indicator), organisation: { code: organisation.code, name: organisation.name }, ...chart });
      } catch (error) {
        if (!(error instanceof SpcNotAvailableError)) throw error;
        if (error.parameter) throw new ApiError(400, 'invalid_parameter', error.message, error.parameter);
        throw new ApiError(422, 'spc_not_available', error.message);
      }
    },
  )
  .get(
    '/funnel-position',
    describeRoute({ tags: ['Trends'], summary: "A provider's z-score, band and judgement in every period's funnel across all providers" }),
    validate('query', positionQuery),
    async (c) => {
      const { db, config } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, organisation } = await loadProviderSeries(db, query.indicator, query.organisation);
      const options = funnelOptions(query, config.suppressionThreshold);
      const funnels = await loadPeerFunnels(db, indicator, await indicatorPeriods(db, indicator.id), options);
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
        method: methodSummary(options),
        positions,
      });
    },
  );
