import { and, eq, inArray } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { loadCatalogue } from '../../etl/load/load-catalogue';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';

const periods = ['2024/25 Q4', '2025/26 Q2'];

/**
 * The catalogue's CWT-62D loaded beside the demo, with the demo's 62-day counts for two periods, so its default
 * convention (cqc) and its targets by period (70 % in 2024/25, 75 % in 2025/26) meet the routes.
 */
describeDemoApi('funnel conventions and targets by indicator', ({ app, database }) => {
  beforeAll(async () => {
    const handle = database();
    await loadCatalogue(handle);
    const { observations, indicators, organisations } = schema;
    const rows = await handle.db
      .select({ organisation: organisations.code, period: schema.periods.label, numerator: observations.numerator, denominator: observations.denominator })
      .from(observations)
      .innerJoin(indicators, eq(indicators.id, observations.indicatorId))
      .innerJoin(organisations, eq(organisations.id, observations.organisationId))
      .innerJoin(schema.periods, eq(schema.periods.id, observations.periodId))
      .where(and(eq(indicators.code, 'VA-CANCER62'), inArray(schema.periods.label, periods)));
    const folder = temporaryFolder();
    const path = folder.write('cwt62.csv', ['indicator_code,organisation_code,period,numerator,denominator', ...rows.map((r) => `CWT-62D,${r.organisation},${r.period},${r.numerator},${r.denominator}`)].join('\n'));
    await loadObservations(handle, await openObservationSource(path), path, { loadedBy: 'test' });
    folder.remove();
  });

  it('uses the indicator’s default convention when none is asked for, and says so; the one asked for otherwise', async () => {
    const url = '/api/funnel?indicator=CWT-62D&period=2025/26 Q2';
    const byDefault = await getJson(app(), url);
    expect(byDefault.method).toMatchObject({ convention: 'cqc', conventionSource: 'indicator_default', adjustment: 'additive', scale: 'arcsine' });
    expect(byDefault.indicator.defaultConvention).toBe('cqc');
    const asked = await getJson(app(), `${url}&convention=cqc`);
    expect(asked.method.conventionSource).toBe('requested');
    expect({ ...asked, method: { ...asked.method, conventionSource: null } }).toEqual({ ...byDefault, method: { ...byDefault.method, conventionSource: null } });
    const spiegelhalter = await getJson(app(), `${url}&convention=spiegelhalter`);
    expect(spiegelhalter.method).toMatchObject({ convention: 'spiegelhalter', conventionSource: 'requested', adjustment: 'multiplicative' });
    // Same counts, same φ; the limits differ (additive τ² against φ), so the answers do.
    expect(spiegelhalter.overdispersion.phi).toBe(byDefault.overdispersion.phi);
    expect(spiegelhalter.curves).not.toEqual(byDefault.curves);
    // An indicator without a default keeps Spiegelhalter's.
    const demo = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2');
    expect(demo.method).toMatchObject({ convention: 'spiegelhalter', conventionSource: 'product_default', adjustment: 'multiplicative' });
    await expectApiError(app(), `${url}&convention=funnelplotr`, 400, 'convention');
  });

  it('names the target in force at the period’s end, with its source, and benchmarks against it', async () => {
    const q2 = await getJson(app(), '/api/funnel?indicator=CWT-62D&period=2025/26 Q2&benchmark=target');
    expect(q2.indicator.target).toBe(75);
    expect(q2.indicator.targetSource).toMatchObject({ kind: 'operational', validFrom: '2025-04-01', validTo: '2026-04-01' });
    expect(q2.indicator.targetSource.source).toContain('2025/26');
    expect(q2.target).toBeCloseTo(75, 12);
    const q4 = await getJson(app(), '/api/funnel?indicator=CWT-62D&period=2024/25 Q4');
    expect(q4.indicator).toMatchObject({ target: 70, targetSource: { kind: 'operational', validFrom: '2024-04-01', validTo: '2025-04-01' } });
    const demo = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&period=2025/26 Q2');
    expect(demo.indicator).toMatchObject({ target: 85, targetSource: { kind: 'indicator', validFrom: null, validTo: null } });
    const detail = await getJson(app(), '/api/indicators/CWT-62D');
    expect(detail.indicator.defaultConvention).toBe('cqc');
    expect(detail.targets.map((t: { kind: string; value: number; validFrom: string }) => [t.kind, t.value, t.validFrom])).toEqual([
      ['constitutional', 85, '2023-10-01'],
      ['operational', 70, '2024-04-01'],
      ['operational', 75, '2025-04-01'],
    ]);
    const measure = await getJson(app(), `/api/measures?indicator=CWT-62D&organisation=${q4.providers[0].code}&period=2024/25 Q4&benchmark=target`);
    expect(measure.benchmark).toMatchObject({ kind: 'target', value: 70, target: { kind: 'operational', validFrom: '2024-04-01' } });
  });

  it('resolves the convention per indicator in views spanning several', async () => {
    const variation = await getJson(app(), '/api/variation?network=KB-CANCER&period=2025/26 Q2');
    expect(variation.method).toMatchObject({ convention: null, conventionSource: 'per_indicator', adjustment: null });
    const byCode = new Map(variation.indicators.map((indicator: { code: string; method: unknown; target: number | null }) => [indicator.code, indicator]));
    expect(byCode.get('CWT-62D')).toMatchObject({ method: { convention: 'cqc', conventionSource: 'indicator_default', adjustment: 'additive' }, target: 75 });
    expect(byCode.get('VA-CANCER62')).toMatchObject({ method: { convention: 'spiegelhalter', conventionSource: 'product_default', adjustment: 'multiplicative' } });
    const asked = await getJson(app(), '/api/overview?network=KB-CANCER&period=2025/26 Q2&convention=shmi');
    expect(asked.method).toMatchObject({ convention: 'shmi', conventionSource: 'requested', adjustment: 'additive' });
    // SHMI's log scale is for ratios: a proportion keeps its own convention and says why.
    expect(asked.indicators.find((indicator: { code: string }) => indicator.code === 'CWT-62D').method).toEqual({ convention: 'cqc', conventionSource: 'requested_not_applicable', adjustment: 'additive' });
    const [provider] = (await getJson(app(), '/api/funnel?indicator=CWT-62D')).providers;
    const position = await getJson(app(), `/api/trends/funnel-position?indicator=CWT-62D&organisation=${provider.code}`);
    expect(position.method).toMatchObject({ convention: 'cqc', conventionSource: 'indicator_default' });
  });
});
