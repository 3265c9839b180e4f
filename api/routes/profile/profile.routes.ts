import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { profileEntry } from '../../analysis/provider-profile';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findOrganisation } from '../../queries/catalogue.queries';
import { organisationSeries } from '../../queries/observations.queries';
import { indicatorsReportedBy, loadPeerFunnels, periodsUpTo } from '../../queries/peer-funnels.queries';
import { validate } from '../../validation';
import { indicatorTargetList, periodTarget } from '../../queries/targets.queries';
import { conventionSummary, funnelMethodQuery, funnelOptions, indicatorSummary, periodSummary, viewMethodSummary } from '../funnel-views';
import { codeParam, periodLabel } from '../parameters';

const profileQuery = z.object({ period: periodLabel.optional(), ...funnelMethodQuery });

/**
 * GET /api/profile/:code: every indicator the organisation reports, in the named period or else the
 * indicator's latest: value and interval, the benchmark of all providers, the funnel judgement, the
 * percentile rank among the other providers and the SPC status of its series up to that period.
 */
export const profileRoutes = new Hono<AppEnv>().get(
  '/:code',
  describeRoute({ tags: ['Variation'], summary: 'A provider profile: every indicator it reports against all providers, with SPC status' }),
  validate('param', codeParam),
  validate('query', profileQuery),
  async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const organisation = await findOrganisation(db, c.req.valid('param').code);
    const threshold = c.var.suppressionThreshold;
    const loaded = await Promise.all(
      (await indicatorsReportedBy(db, { organisationId: organisation.id })).map(async (indicator) => {
        const periods = await periodsUpTo(db, indicator.id, query.period);
        if (!periods) return [];
        const period = periods.at(-1)!;
        const options = funnelOptions(query, indicator);
        const [{ rows, peer }] = await loadPeerFunnels(db, indicator, [period], options, threshold);
        const series = (await organisationSeries(db, indicator, organisation.id, threshold)).filter((row) => row.endDate <= period.endDate);
        const entry = profileEntry({ indicator, organisationCode: organisation.code, rows, peer, series, targets: await indicatorTargetList(db, indicator.id) });
        return [{ indicator: indicatorSummary(indicator, await periodTarget(db, indicator, period)), period: periodSummary(period), method: conventionSummary(options), ...entry }];
      }),
    );
    const indicators = loaded.flat();
    if (query.period !== undefined && !indicators.some((entry) => entry.reported)) {
      throw new ApiError(404, 'not_found', `${organisation.code} has no observations for period "${query.period}"`, 'period');
    }
    return c.json({
      organisation: { code: organisation.code, name: organisation.name, kind: organisation.kind },
      period: query.period ?? null,
      method: { ...viewMethodSummary(query, threshold), percentileRank: 'share of the other providers with a lower value, ties counted half, 0–100' },
      indicators,
    });
  },
);
