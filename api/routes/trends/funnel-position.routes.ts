import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import type { Database } from '../../../db';
import type { FunnelProvider, IndicatorFunnelOptions } from '../../analysis/indicator-funnel';
import { funnelSummary, type PeerFunnel } from '../../analysis/peer-funnel';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findIndicator, findNetwork, indicatorPeriods, networkMemberCodes, type IndicatorRecord } from '../../queries/catalogue.queries';
import { loadPeerFunnels } from '../../queries/peer-funnels.queries';
import { cusumThreshold, standardisedCusum, Z_SCORE_LIMITS, zScoreChart } from '../../stats/cusum';
import { classifySignal } from '../../stats/spc/point-type';
import { validate } from '../../validation';
import { funnelMethodQuery, indicatorFunnelOptions, indicatorSummary, methodSummary, periodSummary } from '../funnel-views';
import { code } from '../parameters';
import { loadProviderSeries } from './trends.queries';

const sequentialQuery = {
  ...funnelMethodQuery,
  k: z.coerce.number().min(0).max(1.5).default(0.5).describe('CUSUM reference value in standard deviations: half the shift to detect (default 0.5, a 1-SD shift)'),
  arl0: z.coerce
    .number()
    .min(20)
    .max(10_000)
    .default(100)
    .describe('In-control average run length of each CUSUM side: one false alarm per this many scored periods (default 100); sets the threshold h'),
};
const positionQuery = z.object({ indicator: code, organisation: code, ...sequentialQuery });
const cusumQuery = z.object({
  network: code,
  indicator: code,
  recent: z.coerce.number().int().min(1).max(40).default(1).describe('Signals in the latest this many periods are listed (default 1: the latest period only)'),
  ...sequentialQuery,
});

const improvementDirections = { higher_is_better: 'increase', lower_is_better: 'decrease', no_judgement: 'neutral' } as const;

type Funnels = Awaited<ReturnType<typeof loadPeerFunnels>>;

/** The provider's place in one period's funnel, or undefined when it has none (not reported, or no funnel). */
const placeIn = (peer: PeerFunnel, organisation: string): FunnelProvider | undefined => (peer.available ? peer.providers.get(organisation) : undefined);

/**
 * A provider's sequence of overdispersion-adjusted z-scores across the periods' funnels, charted with the Making Data
 * Count rules on fixed limits and accumulated by a CUSUM on each side. A suppressed or unreported period, or one
 * without a funnel, has no z: it takes no step of either, so withheld figures take part in no statistic.
 */
function sequentialMonitoring(indicator: IndicatorRecord, funnels: Funnels, organisation: string, k: number, h: number) {
  const scores = funnels.map(({ peer }) => placeIn(peer, organisation)?.adjustedZ ?? null);
  const improvementDirection = improvementDirections[indicator.polarity];
  const chart = zScoreChart(scores, { improvementDirection });
  // A signal is read against the indicator's polarity as a special cause is: improvement, concern or neutral.
  const cusum = standardisedCusum(scores, k, h).map((step) => ({ ...step, specialCause: classifySignal(step.signal, improvementDirection).specialCause }));
  return { scores, chart, cusum };
}

/** Every period's funnel of the indicator across all providers, oldest first, small numbers withheld. */
async function indicatorFunnels(db: Database, indicator: IndicatorRecord, options: IndicatorFunnelOptions, suppressionThreshold: number): Promise<Funnels> {
  const funnels = await loadPeerFunnels(db, indicator, await indicatorPeriods(db, indicator.id), options, suppressionThreshold);
  // A period whose funnel cannot be drawn says why; an indicator with none at all is refused as the funnel route does.
  const reasons = funnels.flatMap(({ peer }) => (peer.available ? [] : [peer.reason]));
  if (reasons.length === funnels.length) throw new ApiError(422, 'funnel_not_available', reasons[0], 'indicator');
  return funnels;
}

const cusumSettings = (k: number, arl0: number, h: number) => ({
  k,
  h,
  arl0,
  // Stated so readers know a signal is a fresh accumulation of evidence, not one long excursion counted again.
  reset: 'each side restarts at 0 after it signals',
  gaps: 'a period without a z (suppressed, not reported, no funnel) takes no step: both sides carry over',
});

/** Where a provider sat in each period's funnel across all providers, and sequential monitoring of that position. */
export const funnelPositionRoutes = new Hono<AppEnv>()
  .get(
    '/funnel-position',
    describeRoute({
      tags: ['Trends'],
      summary: "A provider's z-score, band and judgement in every period's funnel across all providers, with SPC rules and a CUSUM on its adjusted z",
      description:
        "Each period's overdispersion-adjusted z is Normal(0, 1) when the provider is in control, so it is charted against fixed limits (0 ± 3, band ± 2) with the Making Data Count rules, and accumulated by Page's one-sided CUSUMs (reference value k, threshold h solved by the Brook–Evans Markov chain for the stated in-control ARL per side).",
    }),
    validate('query', positionQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const { indicator, organisation } = await loadProviderSeries(db, query.indicator, query.organisation, c.var.suppressionThreshold);
      const options = indicatorFunnelOptions(query, indicator);
      const funnels = await indicatorFunnels(db, indicator, options, c.var.suppressionThreshold);
      const h = cusumThreshold(query.k, query.arl0);
      const monitoring = sequentialMonitoring(indicator, funnels, organisation.code, query.k, h);
      const positions = funnels.map(({ period, rows, peer }, i) => {
        const provider = placeIn(peer, organisation.code);
        const point = monitoring.chart.points[i];
        return {
          period: periodSummary(period),
          reported: rows.some((row) => row.organisationCode === organisation.code),
          suppressed: provider?.suppressed ?? null,
          value: provider?.value ?? null,
          z: provider?.z ?? null,
          adjustedZ: monitoring.scores[i],
          spc: point === null ? null : { rule: point.rule, pointType: point.pointType, specialCause: point.specialCause, direction: point.direction },
          cusum: monitoring.cusum[i],
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
        spc: { limits: Z_SCORE_LIMITS, variation: monitoring.chart.variation },
        cusum: {
          ...cusumSettings(query.k, query.arl0, h),
          signals: monitoring.cusum.flatMap((step, i) => (step.signal === null ? [] : [{ period: funnels[i].period.label, side: step.signal }])),
        },
      });
    },
  )
  .get(
    '/cusum',
    describeRoute({
      tags: ['Trends'],
      summary: "A network's members whose CUSUM on their funnel z-score signals in the latest period or the latest `recent` periods, with the false alarms chance alone would give",
      description:
        "Each member's overdispersion-adjusted z in every period's funnel across all providers feeds Page's one-sided CUSUMs with reference value k and threshold h set for an in-control ARL of arl0 periods per side. Members are those in the network at the end of the latest period. In control, each side signals about once per arl0 scored periods, so about members × recent × 2/arl0 signals are expected by chance.",
    }),
    validate('query', cusumQuery),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const indicator = await findIndicator(db, query.indicator);
      const network = await findNetwork(db, query.network, c.get('identity'));
      const options = indicatorFunnelOptions(query, indicator);
      const funnels = await indicatorFunnels(db, indicator, options, c.var.suppressionThreshold);
      const latest = funnels[funnels.length - 1].period;
      const members = await networkMemberCodes(db, network.id, latest.endDate);
      const reporting = [...members].filter((member) => funnels.some(({ rows }) => rows.some((row) => row.organisationCode === member))).sort();
      if (reporting.length === 0) throw new ApiError(404, 'not_found', `No member of ${network.code} has observations of ${indicator.code}`, 'network');
      const h = cusumThreshold(query.k, query.arl0);
      const window = funnels.slice(-query.recent);
      const firstRecent = funnels.length - window.length;
      const signalling = reporting.flatMap((member) => {
        const { scores, cusum } = sequentialMonitoring(indicator, funnels, member, query.k, h);
        const signals = cusum.flatMap((step, i) => (i >= firstRecent && step.signal !== null ? [{ period: funnels[i].period.label, side: step.signal }] : []));
        if (signals.length === 0) return [];
        const place = placeIn(funnels[funnels.length - 1].peer, member);
        const name = funnels.flatMap(({ rows }) => rows).find((row) => row.organisationCode === member)!.organisationName;
        return [{ organisation: { code: member, name }, signals, latest: { period: latest.label, value: place?.value ?? null, adjustedZ: scores.at(-1) ?? null, ...cusum[cusum.length - 1] } }];
      });
      const memberPeriods = reporting.length * window.length;
      return c.json({
        indicator: indicatorSummary(indicator),
        network: { code: network.code, name: network.name },
        method: methodSummary(options, c.var.suppressionThreshold),
        cusum: cusumSettings(query.k, query.arl0, h),
        periods: window.map(({ period }) => periodSummary(period)),
        members: reporting.length,
        signalling,
        chance: {
          memberPeriods,
          // Each side of an in-control CUSUM restarted at 0 signals once per ARL0 scored periods in the long run (renewal).
          expectedFalseAlarms: (memberPeriods * 2) / query.arl0,
          note: 'about members × periods × 2/arl0 if each period’s z were independent: fewer when periods are suppressed or a CUSUM has only just started, and more when providers’ differences persist from period to period, as between-provider variation usually does',
        },
      });
    },
  );
