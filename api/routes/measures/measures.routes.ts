import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { measureValue } from '../../analysis/measure-value';
import { pooledValue } from '../../analysis/pooled-value';
import type { TargetInForce } from '../../analysis/target-in-force';
import type { AppEnv } from '../../context';
import { ApiError } from '../../errors';
import { findIndicator, findNetwork, findOrganisation, networkMemberCodes, resolvePeriod } from '../../queries/catalogue.queries';
import { periodObservations } from '../../queries/observations.queries';
import { periodTarget } from '../../queries/targets.queries';
import { validate } from '../../validation';
import { code, periodLabel, suppression, suppressionReason } from '../parameters';

/** The coverage of the intervals: 95 % (the default) or 99.8 %, the two the funnel's limits use. */
const confidence = z
  .enum(['0.95', '0.998'])
  .transform(Number)
  .default(0.95)
  .describe('Coverage of the intervals: 0.95 (default) or 0.998; a published interval (DSRs, means) is 95 % and is not rescaled, so at 0.998 it is left out');

const measureQuery = z.object({
  indicator: code,
  organisation: code,
  period: periodLabel.optional(),
  benchmark: z.enum(['all', 'network', 'target']).default('all'),
  network: code.optional(),
  confidence,
  suppression,
  suppressionReason,
});

/** Values with their intervals: one provider's, a network's pooled value, and the benchmark to read them against. */
export const measureRoutes = new Hono<AppEnv>()
  .get('/', describeRoute({ tags: ['Measures'], summary: "A provider's value and interval, with the benchmark" }), validate('query', measureQuery), async (c) => {
    const { db } = c.var.deps;
    const query = c.req.valid('query');
    const indicator = await findIndicator(db, query.indicator);
    const organisation = await findOrganisation(db, query.organisation);
    const period = await resolvePeriod(db, indicator.id, query.period);
    const peers = await periodObservations(db, indicator, period, c.var.suppressionThreshold);
    const row = peers.find((peer) => peer.organisationCode === organisation.code);
    if (!row) throw new ApiError(404, 'not_found', `${organisation.code} has no observation of ${indicator.code} in ${period.label}`, 'organisation');
    const { suppressed } = row;
    let benchmarkValue: number | null;
    // The target in force at the period's end, named with its source.
    let target: TargetInForce | null = null;
    if (query.benchmark === 'target') {
      target = await periodTarget(db, indicator, period);
      if (target === null) throw new ApiError(400, 'invalid_parameter', `benchmark: ${indicator.code} has no target for ${period.label}`, 'benchmark');
      benchmarkValue = target.value;
    } else if (query.benchmark === 'network') {
      if (query.network === undefined) throw new ApiError(400, 'invalid_parameter', 'network: required when benchmark is network', 'network');
      const members = await networkMemberCodes(db, (await findNetwork(db, query.network, c.get('identity'))).id, period.endDate);
      benchmarkValue = pooledValue(indicator, peers.filter((peer) => members.has(peer.organisationCode))).value;
    } else benchmarkValue = pooledValue(indicator, peers).value;
    const value = measureValue(indicator, row, query.confidence);
    return c.json({
      indicator: { code: indicator.code, name: indicator.name, unit: indicator.unit, multiplier: indicator.multiplier, measureKind: indicator.measureKind, polarity: indicator.polarity },
      organisation: { code: organisation.code, name: organisation.name },
      period: { label: period.label, startDate: period.startDate, endDate: period.endDate },
      suppressionThreshold: c.var.suppressionThreshold,
      suppressed,
      ...(suppressed
        ? { numerator: null, denominator: null, observed: null, expected: null, value: null, lower: null, upper: null, method: value.method }
        : { numerator: row.numerator, denominator: row.denominator, observed: row.observed, expected: row.expected, ...value }),
      confidence: query.confidence,
      benchmark: { kind: query.benchmark, value: benchmarkValue, ...(target ? { target: { kind: target.kind, source: target.source, validFrom: target.validFrom, validTo: target.validTo } } : {}) },
    });
  })
  .get(
    '/network',
    describeRoute({ tags: ['Measures'], summary: "A network's pooled value for an indicator and period" }),
    validate('query', z.object({ indicator: code, network: code, period: periodLabel.optional(), confidence, suppression, suppressionReason })),
    async (c) => {
      const { db } = c.var.deps;
      const query = c.req.valid('query');
      const indicator = await findIndicator(db, query.indicator);
      const network = await findNetwork(db, query.network, c.get('identity'));
      const period = await resolvePeriod(db, indicator.id, query.period);
      const members = await networkMemberCodes(db, network.id, period.endDate);
      const peers = await periodObservations(db, indicator, period, c.var.suppressionThreshold);
      const inNetwork = peers.filter((peer) => members.has(peer.organisationCode));
      return c.json({
        indicator: { code: indicator.code, name: indicator.name, unit: indicator.unit, multiplier: indicator.multiplier },
        network: { code: network.code, name: network.name },
        period: { label: period.label, startDate: period.startDate, endDate: period.endDate },
        // Pooled over the members whose figures are published: a withheld member's count is in no total.
        suppressionThreshold: c.var.suppressionThreshold,
        membersWithheld: inNetwork.filter((peer) => peer.suppressed).length,
        pooled: pooledValue(indicator, inNetwork, query.confidence),
        all: pooledValue(indicator, peers, query.confidence),
        confidence: query.confidence,
      });
    },
  );
