import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { FunnelNotAvailableError } from '../../analysis/indicator-funnel';
import { PeerBenchmarkNotAvailableError } from '../../analysis/peer-benchmark';
import type { AppEnv } from '../../context';
import { StatsInputError } from '../../stats';
import { ApiError } from '../../errors';
import { validate } from '../../validation';
import { booleanFlag, code, funnelMethod, periodLabel, suppression, suppressionReason } from '../parameters';
import { indicatorSummary } from '../funnel-views';
import { funnelChance, funnelQValues } from '../../analysis/funnel-chance';
import { funnelCsv, valueDecimalPlaces } from './funnel-csv';
import { loadIndicatorFunnel } from './funnel.queries';
import { peerGroupQuery, peerGroupRequest } from '../peers/peers.schemas';

export const funnelQuery = z.object({
  indicator: code,
  period: periodLabel.optional(),
  network: code.optional(),
  networkOnly: booleanFlag.default(false),
  benchmark: z
    .enum(['all', 'network', 'target', 'peers'])
    .default('all')
    .describe(
      'The centre line: all (the pooled value of every published provider), network (the pooled value of the published members of `network`), target (the standard in force at the period’s end) or peers (the pooled value of a peer group’s published members, at least 3: `peers` or `peersOf`; the funnel is then the peer group’s, its overdispersion estimated over it). Overdispersion is always estimated around the providers’ own centre.',
    ),
  ...peerGroupQuery,
  fdr: booleanFlag
    .default(false)
    .describe(
      'Adds each provider’s Benjamini–Hochberg q-value of its adjusted z’s two-sided p-value, and `fdr`: the BH threshold p* and z* with a pair of limits at z* (Jones, Ohlssen & Spiegelhalter 2008)',
    ),
  fdrLevel: z.coerce.number().min(0.001).max(0.2).default(0.05).describe('The false discovery rate of the fdr line, 0.001 to 0.2 (default 0.05)'),
  providerLimits: booleanFlag
    .default(false)
    .describe('Adds each provider’s own 95 % and 99.8 % limits at its precision, unadjusted and adjusted for overdispersion, as NHS Digital (SHMI) and PHE publish them'),
  shrinkage: booleanFlag
    .default(false)
    .describe(
      'Adds each provider’s empirical-Bayes shrunken estimate with its 95 % interval (DerSimonian–Laird τ² on the funnel’s scale) and its rank with a 95 % rank interval, simulated from the posteriors (1000 draws, fixed seed; 1 = highest value; Marshall & Spiegelhalter 1998)',
    ),
  ...funnelMethod,
  suppression,
  suppressionReason,
  format: z.enum(['json', 'csv']).default('json'),
});

/**
 * GET /api/funnel: an indicator's funnel for a period across all its providers (Spiegelhalter 2005), network
 * members flagged (or alone with networkOnly), limits as smooth curves, overdispersion by the chosen method;
 * without `convention` the indicator's own default applies, and `method.conventionSource` says which.
 */
export const funnelRoutes = new Hono<AppEnv>().get(
  '/',
  describeRoute({ tags: ['Variation'], summary: 'Funnel plot: providers, control limits and overdispersion for an indicator and period' }),
  validate('query', funnelQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const suppressionThreshold = c.var.suppressionThreshold;
    let loaded;
    try {
      const peerGroup = query.benchmark === 'peers' ? peerGroupRequest(query) : undefined;
      loaded = await loadIndicatorFunnel(db, { ...query, peerGroup, fdrLevel: query.fdr ? query.fdrLevel : undefined, suppressionThreshold }, c.get('identity'));
    } catch (error) {
      // A method the counts cannot take (e.g. the SHMI convention on a proportion) is the request's fault, not a 500.
      if (error instanceof FunnelNotAvailableError || error instanceof StatsInputError) throw new ApiError(422, 'funnel_not_available', error.message, 'indicator');
      if (error instanceof PeerBenchmarkNotAvailableError) throw new ApiError(422, 'peers_too_few', error.message, 'peers');
      throw error;
    }
    const { indicator, period, network, members, target, targetLines, options, funnel, benchmarkValue, peers } = loaded;
    // q-values over every judged provider: the family of comparisons is the whole funnel, whatever is shown.
    const qValues = query.fdr ? funnelQValues(funnel.providers.map((provider) => provider.adjustedZ)) : null;
    const providers = funnel.providers
      .map((provider, i) => ({ ...provider, inNetwork: members ? members.has(provider.code) : null, ...(qValues && { qValue: qValues[i] }) }))
      .filter((provider) => !query.networkOnly || provider.inNetwork);
    if (query.format === 'csv') {
      const csv = funnelCsv({ indicator: indicator.code, period: period.label, decimalPlaces: valueDecimalPlaces(indicator), providerLimits: query.providerLimits, fdr: query.fdr }, providers);
      return c.body(csv, 200, {
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="funnel-${indicator.code}-${period.label.replace(/[^A-Za-z0-9]+/g, '-')}.csv"`,
      });
    }
    return c.json({
      indicator: indicatorSummary(indicator, target),
      period: { label: period.label, startDate: period.startDate, endDate: period.endDate },
      network: network ? { code: network.code, name: network.name } : null,
      method: {
        measure: funnel.measure,
        convention: funnel.convention,
        conventionSource: options.conventionSource,
        scale: funnel.scale,
        unadjustedLimits: funnel.unadjustedLimits,
        adjustment: options.adjustment,
        trimFraction: query.trim,
        trimMethod: funnel.overdispersion.trimMethod,
        suppressionThreshold,
        benchmark: query.benchmark,
        benchmarkValue,
        ...(peers && { peers }),
        ...(funnel.shrinkage && { shrinkageTau2: funnel.shrinkage.tau2, rankDraws: funnel.shrinkage.rankDraws }),
      },
      target: funnel.target,
      targetLines,
      ...(funnel.fdr && { fdr: funnel.fdr }),
      overdispersion: funnel.overdispersion,
      chance: funnelChance(funnel.providers),
      curves: funnel.curves,
      providers,
      excluded: funnel.excluded,
    });
  },
);
