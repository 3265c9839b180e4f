import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { minimumPeers, periodPeerBenchmark, type PeriodPeerBenchmark } from '../../analysis/peer-benchmark';
import { providerSpc, SpcNotAvailableError, type SeriesObservation } from '../../analysis/provider-spc';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { targetInForce, type PeriodTarget } from '../../analysis/target-in-force';
import type { IndicatorRecord } from '../../queries/catalogue.queries';
import { resolvePeerGroup } from '../../queries/peers.queries';
import { indicatorTargetList } from '../../queries/targets.queries';
import { validate } from '../../validation';
import { indicatorSummary } from '../funnel-views';
import { booleanFlag, code, periodLabel, suppression, suppressionReason } from '../parameters';
import { peerGroupQuery, peerGroupRequest } from '../peers/peers.schemas';
import { loadNetworkSeries, loadProviderSeries, peerRowsByPeriod } from './trends.queries';

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

const providerSpcQuery = spcQuery.extend({
  benchmark: z
    .enum(['target', 'peers'])
    .default('target')
    .describe(
      'What the assurance icon judges the process limits against: target (the standard in force at the last point) or peers (in each period the pooled value of a peer group’s published members, never the organisation’s own, at least 3: `peers` or `peersOf`; a period with fewer is not judged, with the reason)',
    ),
  ...peerGroupQuery,
});

type SpcSettingsQuery = Omit<z.infer<typeof spcQuery>, 'indicator' | 'organisation'>;

/** `providerSpc` with the query's settings; a chart that cannot be drawn is a 400 (a bad chart, baseline or rebase) or a 422. */
function spcOrError(indicator: IndicatorRecord, series: readonly SeriesObservation[], query: SpcSettingsQuery, targets: readonly PeriodTarget[], peers?: ReadonlyMap<string, PeriodPeerBenchmark>) {
  try {
    return providerSpc(indicator, series, {
      chart: query.chart,
      targets,
      peers,
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
    validate('query', providerSpcQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const peerRequest = query.benchmark === 'peers' ? peerGroupRequest(query) : undefined;
      const { indicator, organisation, series } = await loadProviderSeries(db, query.indicator, query.organisation, c.var.suppressionThreshold);
      const targets = await indicatorTargetList(db, indicator.id);
      let peers;
      let benchmarks: Map<string, PeriodPeerBenchmark> | undefined;
      if (peerRequest) {
        const group = await resolvePeerGroup(db, peerRequest);
        // The organisation charted is judged against its peers, never pooled with them.
        const codes = new Set([...group.codes].filter((code) => code !== organisation.code));
        if (codes.size < minimumPeers) {
          throw new ApiError(422, 'peers_too_few', `the peer group has ${codes.size} organisations besides ${organisation.code}; a peer benchmark needs at least ${minimumPeers}`, 'peers');
        }
        const rows = await peerRowsByPeriod(db, indicator, codes, c.var.suppressionThreshold);
        benchmarks = new Map(series.map((row) => [row.period, periodPeerBenchmark(indicator, rows.get(row.period) ?? [], { codes, of: organisation.code })]));
        peers = { of: group.of, group: group.description, minimum: minimumPeers };
      }
      const chart = spcOrError(indicator, series, query, targets, benchmarks);
      return c.json({
        indicator: indicatorSummary(indicator, targetInForce(indicator, targets, series[series.length - 1].endDate)),
        organisation: { code: organisation.code, name: organisation.name },
        ...chart,
        settings: { ...chart.settings, suppressionThreshold: c.var.suppressionThreshold, benchmark: query.benchmark, ...(peers && { peers }) },
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
