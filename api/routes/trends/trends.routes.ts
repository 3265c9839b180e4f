import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { providerSpc, SpcNotAvailableError, type SeriesObservation } from '../../analysis/provider-spc';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { targetInForce, type PeriodTarget } from '../../analysis/target-in-force';
import type { IndicatorRecord } from '../../queries/catalogue.queries';
import { indicatorTargetList } from '../../queries/targets.queries';
import { validate } from '../../validation';
import { indicatorSummary } from '../funnel-views';
import { booleanFlag, code, periodLabel, suppression, suppressionReason } from '../parameters';
import { loadNetworkSeries, loadProviderSeries } from './trends.queries';

const ruleLength = z.coerce.number().int().min(2).max(50).optional();

const spcQuery = z.object({
  indicator: code,
  organisation: code,
  chart: z
    .enum(['p', 'pprime', 'u', 'uprime', 'xmr'])
    .optional()
    .describe(
      "The chart: p or Laney's p′ for a proportion, u or u′ for a rate or ratio, xmr (the values on the display scale) for any. Default: the measure's p or u chart, or p′/u′ when Laney's σ_z shows overdispersion (settings.chartChoice names the rule); xmr for directly standardised rates and means",
    ),
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
  suppressionReason,
});

const networkSpcQuery = spcQuery.omit({ organisation: true }).extend({ network: code });

type SpcSettingsQuery = Omit<z.infer<typeof spcQuery>, 'indicator' | 'organisation'>;

/** `providerSpc` with the query's settings; a chart that cannot be drawn is a 400 (a bad chart, baseline or rebase) or a 422. */
function spcOrError(indicator: IndicatorRecord, series: readonly SeriesObservation[], query: SpcSettingsQuery, targets: readonly PeriodTarget[]) {
  try {
    return providerSpc(indicator, series, {
      chart: query.chart,
      targets,
      baselineLength: query.baseline,
      rebaseAt: query.rebase,
      screenMovingRanges: query.screen,
      trendLength: query.trendLength,
      runLength: query.runLength,
      twoOfThreeCountsBeyondLimits: query.twoOfThreeBeyondLimits,
    });
  } catch (error) {
    if (!(error instanceof SpcNotAvailableError)) throw error;
    if (error.parameter) throw new ApiError(400, 'invalid_parameter', error.message, error.parameter);
    throw new ApiError(422, 'spc_not_available', error.message);
  }
}

/** A provider or a network over time: its statistical process control chart, and where a provider sat in each period's funnel. */
export const trendRoutes = new Hono<AppEnv>()
  .get(
    '/spc',
    describeRoute({
      tags: ['Trends'],
      summary:
        "A provider's series as an SPC chart (p, Laney's p′, u, u′ or XmR; by default by measure kind and overdispersion) with each period's target in force, variation and assurance (Making Data Count)",
    }),
    validate('query', spcQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, organisation, series } = await loadProviderSeries(db, query.indicator, query.organisation, c.var.suppressionThreshold);
      const targets = await indicatorTargetList(db, indicator.id);
      const chart = spcOrError(indicator, series, query, targets);
      return c.json({
        indicator: indicatorSummary(indicator, targetInForce(indicator, targets, series[series.length - 1].endDate)),
        organisation: { code: organisation.code, name: organisation.name },
        ...chart,
        settings: { ...chart.settings, suppressionThreshold: c.var.suppressionThreshold },
      });
    },
  )
  .get(
    '/network-spc',
    describeRoute({
      tags: ['Trends'],
      summary:
        "A network's pooled value over time (its members on each period's last day) as an SPC chart (chart= as for a provider), with each period's target in force, variation and assurance",
    }),
    validate('query', networkSpcQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, network, series } = await loadNetworkSeries(db, query.indicator, query.network, c.get('identity'), c.var.suppressionThreshold);
      const targets = await indicatorTargetList(db, indicator.id);
      const chart = spcOrError(indicator, series, query, targets);
      const providers = new Map(series.map((row) => [row.period, row.providers]));
      return c.json({
        indicator: indicatorSummary(indicator, targetInForce(indicator, targets, series[series.length - 1].endDate)),
        network: { code: network.code, name: network.name },
        ...chart,
        settings: { ...chart.settings, suppressionThreshold: c.var.suppressionThreshold },
        points: chart.points.map((point) => ({ ...point, providers: providers.get(point.period)! })),
      });
    },
  );
