import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { FunnelNotAvailableError } from '../../analysis/indicator-funnel';
import type { AppEnv } from '../../context';
import { StatsInputError } from '../../stats';
import { ApiError } from '../../errors';
import { toCsv } from '../../exports/csv';
import { validate } from '../../validation';
import { booleanFlag, code, funnelMethod, periodLabel, suppression, suppressionReason } from '../parameters';
import { indicatorSummary } from '../funnel-views';
import { funnelChance, funnelQValues } from '../../analysis/funnel-chance';
import { loadIndicatorFunnel } from './funnel.queries';

export const funnelQuery = z.object({
  indicator: code,
  period: periodLabel.optional(),
  network: code.optional(),
  networkOnly: booleanFlag.default(false),
  benchmark: z.enum(['all', 'target']).default('all'),
  fdr: booleanFlag
    .default(false)
    .describe('Adds each provider’s Benjamini–Hochberg q-value of its adjusted z’s two-sided p-value (Jones, Ohlssen & Spiegelhalter 2008)'),
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
      loaded = await loadIndicatorFunnel(db, { ...query, suppressionThreshold }, c.get('identity'));
    } catch (error) {
      // A method the counts cannot take (e.g. the SHMI convention on a proportion) is the request's fault, not a 500.
      if (error instanceof FunnelNotAvailableError || error instanceof StatsInputError) throw new ApiError(422, 'funnel_not_available', error.message, 'indicator');
      throw error;
    }
    const { indicator, period, network, members, target, options, funnel } = loaded;
    if (query.benchmark === 'target' && target === null) throw new ApiError(400, 'invalid_parameter', `benchmark: ${indicator.code} has no target for ${period.label}`, 'benchmark');
    // q-values over every judged provider: the family of comparisons is the whole funnel, whatever is shown.
    const qValues = query.fdr ? funnelQValues(funnel.providers.map((provider) => provider.adjustedZ)) : null;
    const providers = funnel.providers
      .map((provider, i) => ({ ...provider, inNetwork: members ? members.has(provider.code) : null, ...(qValues && { qValue: qValues[i] }) }))
      .filter((provider) => !query.networkOnly || provider.inNetwork);
    if (query.format === 'csv') {
      const columns = ['code', 'name', 'inNetwork', 'suppressed', 'numerator', 'denominator', 'value', 'lower', 'upper', 'z', 'adjustedZ', 'band', 'judgement'] as const;
      const csv = query.fdr ? toCsv([...columns, 'qValue'], providers.map((p) => ({ ...p, qValue: p.qValue ?? null }))) : toCsv(columns, providers);
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
      },
      target: funnel.target,
      overdispersion: funnel.overdispersion,
      chance: funnelChance(funnel.providers),
      curves: funnel.curves,
      providers,
      excluded: funnel.excluded,
    });
  },
);
