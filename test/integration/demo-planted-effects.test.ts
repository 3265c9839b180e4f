import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { funnelAnalysis, type FunnelAnalysisInput } from '../../api/stats';
import { schema } from '../../db';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { loadDemo } from '../../etl/demo/load-demo';
import { describeDatabase, type TestDatabase } from '../support/database';
import { databaseFingerprint } from '../support/fingerprint';

const demo = generateDemoData();
const { effects, controls } = demo.plantedEffects;
const latestPeriod = demo.periods.at(-1)!.label;
const funnelMeasure = { proportion: 'proportion', indirectly_standardised_ratio: 'ratio', crude_rate: 'rate' } as const;

/**
 * The demo's planted effects, found from the database by the statistics engine: what the variation finder
 * will build on. Loaded through the real ETL, then read back with drizzle, on each driver.
 */
describeDatabase('demo data: planted effects are found after loading', (getDatabase) => {
  let handle: TestDatabase;
  beforeAll(async () => {
    handle = getDatabase();
    expect(await loadDemo(handle)).toMatchObject({ status: 'loaded', rows: demo.observations.length });
  });

  async function funnelFor(indicatorCode: string, periodLabel: string) {
    const indicator = await handle.db.query.indicators.findFirst({ where: eq(schema.indicators.code, indicatorCode) });
    if (!indicator) throw new Error(`no indicator ${indicatorCode}`);
    const measure = funnelMeasure[indicator.measureKind as keyof typeof funnelMeasure];
    if (!measure) return undefined;
    const rows = await handle.db
      .select({ code: schema.organisations.code, numerator: schema.observations.numerator, denominator: schema.observations.denominator, observed: schema.observations.observed, expected: schema.observations.expected })
      .from(schema.observations)
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
      .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
      .where(and(eq(schema.observations.indicatorId, indicator.id), eq(schema.periods.label, periodLabel)));
    const providers = rows.map((row) =>
      measure === 'ratio' ? { id: row.code, numerator: row.observed!, denominator: row.expected! } : { id: row.code, numerator: row.numerator!, denominator: row.denominator! },
    );
    const input: FunnelAnalysisInput = { measure, providers, adjustment: 'additive', polarity: indicator.polarity.replace(/_/g, '-') as never, multiplier: indicator.multiplier };
    return funnelAnalysis(input);
  }

  it('loads every demo row, and loading the demo again changes nothing', async () => {
    const before = await databaseFingerprint(handle.db);
    expect(await loadDemo(handle)).toMatchObject({ status: 'unchanged' });
    expect(await databaseFingerprint(handle.db)).toEqual(before);
  });

  // Effects on means (VA-LOS) need a funnel of means, which the engine does not draw from counts.
  const countBased = new Set(demo.indicators.filter((indicator) => indicator.measure_kind in funnelMeasure).map((indicator) => indicator.code));
  const outliers = effects.filter((effect) => (effect.kind === 'outlier' || effect.kind === 'drift') && countBased.has(effect.indicatorCode));
  it.each(outliers.map((effect) => [`${effect.indicatorCode} ${effect.organisationCode} (${effect.kind}, ${effect.direction})`, effect] as const))(
    'flags the planted %s beyond the 99.8 %% limit after overdispersion in the latest quarter',
    async (_name, effect) => {
      const funnel = await funnelFor(effect.indicatorCode, latestPeriod);
      const provider = funnel!.providers.find((p) => p.id === effect.organisationCode);
      expect(funnel!.overdispersion.applied).toBe(true);
      expect(provider?.band).toBe(effect.direction === 'higher' ? 'above-99.8' : 'below-99.8');
    },
  );

  it('does not flag any control provider at 99.8 % on any indicator in the latest quarter', async () => {
    const flagged: string[] = [];
    for (const indicator of demo.indicators) {
      const funnel = await funnelFor(indicator.code, latestPeriod);
      for (const provider of funnel?.providers ?? []) {
        if (controls.includes(provider.id) && provider.band.endsWith('99.8')) flagged.push(`${indicator.code} ${provider.id} ${provider.band}`);
      }
    }
    expect(flagged).toEqual([]);
  });
});
