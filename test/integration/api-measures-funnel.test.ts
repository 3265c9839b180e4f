import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { schema } from '../../db';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { bearer, roleTokens } from '../support/role-tokens';
import { withheldProportion } from '../support/withheld-counts';

const z95 = 1.959963984540054;

describeDemoApi('API measures and funnel', ({ app, database }) => {
  let analyst: string;
  beforeAll(async () => {
    analyst = (await roleTokens(database().db)).analyst;
  });

  /** The raw rows of an indicator in a period, straight from the tables. */
  async function rawRows(indicatorCode: string, periodLabel: string) {
    const { db } = database();
    return db
      .select({ code: schema.organisations.code, numerator: schema.observations.numerator, denominator: schema.observations.denominator, observed: schema.observations.observed, expected: schema.observations.expected })
      .from(schema.observations)
      .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
      .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
      .where(and(eq(schema.indicators.code, indicatorCode), eq(schema.periods.label, periodLabel)));
  }

  it("gives a provider's ratio with Byar's interval and the benchmark, recomputed from the raw counts", async () => {
    const body = await getJson(app(), '/api/measures?indicator=VA-SHMI&organisation=RZB');
    expect(body.period.label).toBe('2025/26 Q2');
    const rows = await rawRows('VA-SHMI', '2025/26 Q2');
    const own = rows.find((row) => row.code === 'RZB')!;
    const [observed, expected] = [own.observed!, own.expected!];
    expect(body.value).toBeCloseTo(observed / expected, 12);
    // Byar's approximation (methods.md), written out here independently of the engine.
    const lower = (observed * (1 - 1 / (9 * observed) - z95 / (3 * Math.sqrt(observed))) ** 3) / expected;
    const upper = ((observed + 1) * (1 - 1 / (9 * (observed + 1)) + z95 / (3 * Math.sqrt(observed + 1))) ** 3) / expected;
    expect(body.lower).toBeCloseTo(lower, 10);
    expect(body.upper).toBeCloseTo(upper, 10);
    expect(body.method).toBe('byar');
    const pooled = rows.reduce((sum, row) => sum + row.observed!, 0) / rows.reduce((sum, row) => sum + row.expected!, 0);
    expect(body.benchmark).toEqual({ kind: 'all', value: expect.closeTo(pooled, 12) });
  });

  it("gives a network's pooled proportion as Σx/Σn of its members", async () => {
    const body = await getJson(app(), '/api/measures/network?indicator=VA-CANCER62&network=KB-CANCER&period=2024/25 Q1');
    const members = await getJson(app(), '/api/networks/KB-CANCER?date=2024-06-30');
    const codes = new Set(members.members.map((member: { code: string }) => member.code));
    const rows = (await rawRows('VA-CANCER62', '2024/25 Q1')).filter((row) => codes.has(row.code));
    expect(body.pooled.providers).toBe(rows.length);
    expect(body.pooled.value).toBeCloseTo((100 * rows.reduce((s, r) => s + r.numerator!, 0)) / rows.reduce((s, r) => s + r.denominator!, 0), 10);
  });

  it('withholds small counts unless an analyst switches suppression off, with a reason', async () => {
    const rows = await rawRows('VA-CC-READM48', '2025/26 Q2');
    const small = rows.find((row) => row.numerator! > 0 && row.numerator! < 5)!;
    expect(small).toBeDefined();
    const hidden = await getJson(app(), `/api/measures?indicator=VA-CC-READM48&organisation=${small.code}`);
    expect(hidden).toMatchObject({ suppressed: true, numerator: null, value: null, lower: null });
    const lowered = `/api/measures?indicator=VA-CC-READM48&organisation=${small.code}&suppression=0`;
    await expectApiError(app(), lowered, 403, 'suppression', 'suppression_below_floor');
    const shown = await app().request(`${lowered}&suppressionReason=checking+a+return`, { headers: bearer(analyst) });
    expect(shown.status).toBe(200);
    expect(await shown.json()).toMatchObject({ suppressed: false, numerator: small.numerator });
    const funnel = await getJson(app(), '/api/funnel?indicator=VA-CC-READM48');
    expect(funnel.providers.find((provider: { code: string }) => provider.code === small.code)).toMatchObject({ suppressed: true, value: null, z: null, band: null });
    const csv = await (await app().request('/api/funnel?indicator=VA-CC-READM48&format=csv')).text();
    expect(csv.split('\r\n').find((line) => line.includes(`,${small.code},`))).toMatch(/,true,,,,,,,,,$/);
  });

  it('takes the funnel benchmark and pooled values from the published providers only (recomputed from the raw counts)', async () => {
    const period = '2025/26 Q2';
    const rows = await rawRows('VA-CC-READM48', period);
    const published = rows.filter((row) => !withheldProportion(row));
    const withheld = rows.filter((row) => !published.includes(row)).map((row) => row.code);
    const pooled = (group: typeof rows) => (100 * group.reduce((s, r) => s + r.numerator!, 0)) / group.reduce((s, r) => s + r.denominator!, 0);
    expect(withheld.length).toBeGreaterThan(0);
    // Counting the withheld providers would give a visibly different benchmark.
    expect(Math.abs(pooled(rows) - pooled(published))).toBeGreaterThan(1e-6);

    const funnel = await getJson(app(), `/api/funnel?indicator=VA-CC-READM48&period=${encodeURIComponent(period)}`);
    expect(funnel.target).toBeCloseTo(pooled(published), 10);
    expect(funnel.providers.filter((p: { suppressed: boolean }) => p.suppressed).map((p: { code: string }) => p.code).sort()).toEqual(withheld.sort());
    expect(funnel.excluded).toEqual([]);

    const members = await getJson(app(), '/api/networks/KB-CC-ODN?date=2025-09-30');
    const codes = new Set(members.members.map((member: { code: string }) => member.code));
    const network = await getJson(app(), `/api/measures/network?indicator=VA-CC-READM48&network=KB-CC-ODN&period=${encodeURIComponent(period)}`);
    const publishedMembers = published.filter((row) => codes.has(row.code));
    expect(network).toMatchObject({ suppressionThreshold: 5, membersWithheld: withheld.filter((code) => codes.has(code)).length });
    expect(network.pooled).toMatchObject({ value: expect.closeTo(pooled(publishedMembers), 10), providers: publishedMembers.length });
    expect(network.all).toMatchObject({ value: expect.closeTo(pooled(published), 10), providers: published.length });
  });

  it('draws a proportion funnel whose target and z-scores are recomputed from the raw counts (arcsine scale)', async () => {
    const body = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&adjustment=additive');
    const rows = await rawRows('VA-CANCER62', body.period.label);
    expect(body.providers).toHaveLength(rows.length);
    const published = rows.filter((row) => !withheldProportion(row));
    const theta = published.reduce((s, r) => s + r.numerator!, 0) / published.reduce((s, r) => s + r.denominator!, 0);
    expect(body.target).toBeCloseTo(100 * theta, 10);
    for (const row of rows) {
      const z = (Math.asin(Math.sqrt(row.numerator! / row.denominator!)) - Math.asin(Math.sqrt(theta))) * 2 * Math.sqrt(row.denominator!);
      const provider = body.providers.find((p: { code: string }) => p.code === row.code);
      if (!provider.suppressed) expect(provider.z).toBeCloseTo(z, 9);
    }
    expect(body.method).toMatchObject({ measure: 'proportion', scale: 'arcsine', adjustment: 'additive', trimFraction: 0.1, suppressionThreshold: 5 });
    expect(body.overdispersion.applied).toBe(true);
    expect(body.curves).toHaveLength(4);
    expect(body.curves.every((curve: { points: unknown[] }) => curve.points.length === 150)).toBe(true);
    // The planted outlier: RZA's 62-day performance is far below its peers.
    expect(body.providers.find((p: { code: string }) => p.code === 'RZA')).toMatchObject({ band: 'below-99.8', judgement: 'worse' });
  });

  it('flags network members, can show them alone, and exports one CSV row per provider', async () => {
    const all = await getJson(app(), '/api/funnel?indicator=VA-SHMI&network=KB-CC-ODN');
    const members = all.providers.filter((p: { inNetwork: boolean }) => p.inNetwork);
    expect(members.length).toBeGreaterThan(0);
    expect(members.length).toBeLessThan(all.providers.length);
    const only = await getJson(app(), '/api/funnel?indicator=VA-SHMI&network=KB-CC-ODN&networkOnly=true');
    expect(only.providers.map((p: { code: string }) => p.code)).toEqual(members.map((p: { code: string }) => p.code));
    expect(only.target).toBe(all.target);
    const response = await app().request('/api/funnel?indicator=VA-SHMI&format=csv');
    expect(response.headers.get('content-type')).toContain('text/csv');
    const lines = (await response.text()).trim().split('\r\n');
    expect(lines[0]).toBe('indicator,period,code,name,inNetwork,suppressed,numerator,denominator,value,lower,upper,z,adjustedZ,band,judgement');
    expect(lines).toHaveLength(all.providers.length + 1);
  });

  it('compares published means and DSRs as values with standard errors from their 95 % intervals', async () => {
    const los = await getJson(app(), '/api/funnel?indicator=VA-LOS&adjustment=additive');
    expect(los.method).toMatchObject({ measure: 'normal', scale: 'linear', unadjustedLimits: 'normal' });
    // The planted outlier: RZE's mean length of stay is 16 % longer; the indicator has no polarity.
    expect(los.providers.find((p: { code: string }) => p.code === 'RZE')).toMatchObject({ band: 'above-99.8', judgement: 'higher' });
    const dsr = await getJson(app(), '/api/funnel?indicator=VA-ACS-DSR');
    expect(dsr.method).toMatchObject({ measure: 'normal', scale: 'log' });
    const { db } = database();
    const rows = await db
      .select({ code: schema.organisations.code, value: schema.observations.value, lower: schema.observations.valueLower, upper: schema.observations.valueUpper })
      .from(schema.observations)
      .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
      .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
      .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
      .where(and(eq(schema.indicators.code, 'VA-ACS-DSR'), eq(schema.periods.label, dsr.period.label)));
    // Inverse-variance weighted mean of the log rates, s = (ln upper − ln lower) / (2 × 1.96), written out here.
    const weighted = rows.map((row) => ({ ...row, s: (Math.log(row.upper!) - Math.log(row.lower!)) / (2 * z95) }));
    const weights = weighted.map((row) => 1 / row.s ** 2);
    const logTarget = weighted.reduce((sum, row, i) => sum + weights[i] * Math.log(row.value!), 0) / weights.reduce((a, b) => a + b, 0);
    expect(dsr.target).toBeCloseTo(Math.exp(logTarget), 8);
    const first = weighted[0];
    expect(dsr.providers.find((p: { code: string }) => p.code === first.code).z).toBeCloseTo((Math.log(first.value!) - logTarget) / first.s, 8);
  });

  it('follows the SHMI convention when asked: log scale, truncation, additive τ²', async () => {
    const body = await getJson(app(), '/api/funnel?indicator=VA-SHMI&convention=shmi');
    expect(body.method).toMatchObject({ convention: 'shmi', scale: 'log', adjustment: 'additive', trimMethod: 'truncate' });
    expect(body.overdispersion.tau2).toBeGreaterThan(0);
    expect(body.providers.find((p: { code: string }) => p.code === 'RZB').band).toBe('above-99.8');
  });

  it.each([
    ['/api/funnel', 400, 'indicator'],
    ['/api/funnel?indicator=VA-SHMI&trim=0.9', 400, 'trim'],
    ['/api/funnel?indicator=VA-SHMI&adjustment=lots', 400, 'adjustment'],
    ['/api/funnel?indicator=VA-SHMI&period=1999', 404, 'period'],
    ['/api/funnel?indicator=VA-SHMI&network=NOPE', 404, 'network'],
    ['/api/funnel?indicator=VA-SHMI&benchmark=target', 400, 'benchmark'],
    ['/api/funnel?indicator=VA-SHMI&suppression=-1', 400, 'suppression'],
    ['/api/funnel?indicator=VA-CANCER62&convention=shmi', 422, 'convention'],
    ['/api/measures?indicator=VA-SHMI&organisation=Z10001', 404, 'organisation'],
    ['/api/measures?indicator=VA-SHMI&organisation=RZB&benchmark=network', 400, 'network'],
  ])('%s answers %i naming %s', (path, status, parameter) => expectApiError(app(), path, status, parameter));
});
