import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { funnelOverdispersionEstimate, funnelSweep } from '../../analysis/method-sensitivity';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { peerFunnel } from '../../analysis/peer-funnel';
import { findIndicator, findNetwork, networkMemberCodes, resolvePeriod } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { validate } from '../../validation';
import { funnelMethodQuery, funnelOptions, indicatorSummary, methodSummary } from '../funnel-views';
import { code, periodLabel } from '../parameters';

const sensitivityQuery = z.object({
  indicator: code,
  period: periodLabel.optional(),
  network: code.optional().describe('Flags the members of this network (inNetwork) and counts theirs apart'),
  ...funnelMethodQuery,
});

/**
 * GET /api/funnel/sensitivity: for one indicator and period, each provider's verdict at 99.8 % under every
 * method the product offers (no adjustment; φ and τ² winsorised at 5, 10 and 20 %; the SHMI convention truncated,
 * for ratios), robust when they all agree, with the counts and τ² with its Q-profile 95 % interval (Viechtbauer
 * 2007) as the asked-for method (or the indicator's own) estimates it. The rows come through disclosure control:
 * suppressed providers are named with no verdict and take part in no estimate.
 */
export const funnelSensitivityRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Variation'], summary: "Method sensitivity: each provider's 99.8 % verdict under every funnel method, and τ² with its Q-profile interval" }),
  validate('query', sensitivityQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const indicator = await findIndicator(db, query.indicator);
    const period = await resolvePeriod(db, indicator.id, query.period);
    const network = query.network === undefined ? undefined : await findNetwork(db, query.network, c.get('identity'));
    const members = network ? await networkMemberCodes(db, network.id, period.endDate) : undefined;
    const rows = await periodObservations(db, indicator, period, c.var.suppressionThreshold);
    const options = funnelOptions(query, indicator);
    const peer = peerFunnel(indicator, rows, options);
    if (!peer.available) throw new ApiError(422, 'funnel_not_available', peer.reason, 'indicator');
    const sweep = funnelSweep(indicator, peer.funnel);
    const byCode = new Map((sweep?.providers ?? []).map((provider) => [provider.id, provider]));
    const providers = peer.funnel.providers.map((provider) => {
      const swept = provider.suppressed ? undefined : byCode.get(provider.code);
      return {
        code: provider.code,
        name: provider.name,
        suppressed: provider.suppressed,
        inNetwork: members ? members.has(provider.code) : null,
        value: provider.value,
        // Under the asked-for method (or the indicator's own).
        judgement: provider.judgement,
        verdicts: swept?.verdicts ?? null,
        robust: swept?.robust ?? null,
      };
    });
    const judged = providers.filter((provider) => provider.robust !== null);
    const count = (list: typeof judged) => ({ judged: list.length, robust: list.filter((p) => p.robust).length, methodSensitive: list.filter((p) => p.robust === false).length });
    return c.json({
      indicator: indicatorSummary(indicator),
      period: { label: period.label, startDate: period.startDate, endDate: period.endDate },
      network: network ? { code: network.code, name: network.name } : null,
      method: methodSummary(options, c.var.suppressionThreshold),
      methods: (sweep?.methods ?? []).map((method, m) => ({ ...method, beyond: judged.filter((p) => p.verdicts![m].verdict !== 'as-expected').length })),
      counts: { ...count(judged), suppressed: providers.length - judged.length, ...(members && { network: count(judged.filter((p) => p.inNetwork)) }) },
      overdispersion: funnelOverdispersionEstimate(indicator, peer.funnel, options),
      sweepOverdispersion: sweep?.overdispersion ?? [],
      providers,
    });
  },
);
