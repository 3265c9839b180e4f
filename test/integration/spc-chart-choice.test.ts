import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { loadCatalogue } from '../../etl/load/load-catalogue';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase } from '../support/database';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { describeWithShared, readSharedCsv, sharedPath } from '../support/shared';

type SpcBody = {
  kind: string;
  settings: { chartChoice: { chart: string; rule: string | null; sigmaZ: number | null; threshold: number | null; requested: boolean }; target: number | null; targets: unknown[] };
  points: { period: string; value: number; centre: number; lowerLimit: number; upperLimit: number; pointType: string; rule: string | null; target: number | null }[];
  variation: string;
  assurance: string | null;
};

/**
 * NHS England's A&E attendances (../shared/data) loaded through the ETL's A&E reader as AE-4H-T1, the type 1
 * 4-hour performance, with the 95 % constitutional standard in force; then the SPC route's charts of it.
 */
describeWithShared('SPC chart choice on real A&E data', () => {
  describeDatabase('AE-4H-T1 from ae_attendances.csv', (getDatabase) => {
    let app: ReturnType<typeof createApp>;
    beforeAll(async () => {
      const handle = getDatabase();
      await loadCatalogue(handle);
      const path = sharedPath('data', 'ae_attendances', 'ae_attendances.csv');
      await loadObservations(handle, await openObservationSource(path), path, { createMissingOrganisations: true, loadedBy: 'test' });
      const [indicator] = await handle.db.select({ id: schema.indicators.id }).from(schema.indicators).where(eq(schema.indicators.code, 'AE-4H-T1'));
      await handle.db.insert(schema.indicatorTargets).values({ indicatorId: indicator.id, kind: 'constitutional', validFrom: '2010-06-01', value: 95, source: 'NHS Constitution handbook (95 % within 4 hours)' });
      app = createApp({ db: handle.db, databaseKind: handle.kind });
    }, 120_000);

    it('reproduces NHSRplotthedots 0.2.2 on RJZ (XmR, target 95 %, increase better): centre, limits, point types and icons', async () => {
      const body = await getJson<SpcBody>(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RJZ&chart=xmr');
      const oracle = readSharedCsv('oracles', 'NHSRplotthedots', 'ae_RJZ_type1_4hr_performance_target95_expected.csv');
      const summary = readSharedCsv('oracles', 'NHSRplotthedots', 'summary_by_case.csv').find((row) => row.case_id === 'ae_RJZ_type1_4hr_performance_target95')!;
      expect(body.kind).toBe('xmr');
      expect(body.settings.chartChoice).toEqual({ chart: 'xmr', rule: null, sigmaZ: null, threshold: null, requested: true });
      expect(body.points.map((point) => point.period)).toEqual(oracle.map((row) => row.x.slice(0, 7)));
      // The route answers on the display scale (per cent); the oracle on 0–1.
      const relative = (actual: number, expected: string) => Math.abs(actual / 100 / Number(expected) - 1);
      oracle.forEach((row, i) => {
        const point = body.points[i];
        expect(relative(point.value, row.y), row.x).toBeLessThan(1e-9);
        expect(relative(point.centre, row.mean_col), row.x).toBeLessThan(1e-9);
        expect(relative(point.lowerLimit, row.lpl), row.x).toBeLessThan(1e-9);
        expect(relative(point.upperLimit, row.upl), row.x).toBeLessThan(1e-9);
        expect(point.pointType, row.x).toBe(row.point_type);
        expect(point.target, row.x).toBe(Number(row.target) * 100);
      });
      expect(body.variation.replace(/_(high|low)$/, '')).toBe(summary.variation_type);
      expect(body.assurance).toBe(summary.assurance_type);
      expect(body.settings.targets).toEqual([{ fromPeriod: '2016-04', value: 95, kind: 'constitutional', source: 'NHS Constitution handbook (95 % within 4 hours)' }]);
    });

    it("draws RXH's overdispersed 4-hour performance on Laney's p′ chart by default, naming the rule and σ_z", async () => {
      const byDefault = await getJson<SpcBody>(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH');
      const rows = readSharedCsv('data', 'ae_attendances', 'ae_attendances.csv').filter((row) => row.org_code === 'RXH' && row.type === '1').sort((a, b) => a.period.localeCompare(b.period));
      // Laney (2002) from the file with the test's own arithmetic: p̄ = Σx/Σn, z = (p − p̄)/σ, σ_z = mean |Δz| / 1.128.
      const within = rows.map((row) => Number(row.attendances) - Number(row.breaches));
      const attendances = rows.map((row) => Number(row.attendances));
      const pBar = within.reduce((a, b) => a + b, 0) / attendances.reduce((a, b) => a + b, 0);
      const sigma = (n: number) => Math.sqrt((pBar * (1 - pBar)) / n);
      const z = within.map((x, i) => (x / attendances[i] - pBar) / sigma(attendances[i]));
      const sigmaZ = z.slice(1).reduce((total, value, i) => total + Math.abs(value - z[i]), 0) / (z.length - 1) / 1.128;
      expect(byDefault.kind).toBe('pprime');
      expect(byDefault.settings.chartChoice).toMatchObject({ chart: 'pprime', rule: 'laney_sigma_z_overdispersion', sigmaZ: expect.closeTo(sigmaZ, 9), requested: false });
      expect(byDefault.settings.chartChoice.sigmaZ).toBeGreaterThan(byDefault.settings.chartChoice.threshold!);
      expect(byDefault.points[0].upperLimit).toBeCloseTo(100 * (pBar + 3 * sigma(attendances[0]) * sigmaZ), 9);

      const outside = (body: SpcBody) => body.points.filter((point) => point.value > point.upperLimit || point.value < point.lowerLimit).length;
      const plain = await getJson<SpcBody>(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=p');
      const xmr = await getJson<SpcBody>(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=xmr');
      // The p chart's limits are σ_z times too narrow for months of ~10,000 attendances: most months fall outside.
      expect(outside(plain)).toBeGreaterThan(outside(byDefault) * 5);
      expect(outside(byDefault)).toBeLessThanOrEqual(outside(xmr) + 2);
      expect(plain.settings.chartChoice).toMatchObject({ chart: 'p', requested: true });
    });

    it('refuses a chart of another measure kind with a 400 naming chart', async () => {
      await expectApiError(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=uprime', 400, 'chart', 'invalid_parameter');
      await expectApiError(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=c', 400, 'chart', 'invalid_parameter');
      await expectApiError(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=pprime&baseline=1', 400, 'baseline', 'invalid_parameter');
    });

    it('exports the chart asked for: the SPC export passes chart= to its route', async () => {
      const response = await app.request('/api/exports/spc?indicator=AE-4H-T1&organisation=RXH&chart=xmr&format=csv');
      expect(response.status).toBe(200);
      const exported = (await response.text()).trim().split('\n').slice(1);
      const xmr = await getJson<SpcBody>(app, '/api/trends/spc?indicator=AE-4H-T1&organisation=RXH&chart=xmr');
      expect(exported).toHaveLength(36);
      expect(Number(exported[0].split(',')[3])).toBeCloseTo(xmr.points[0].centre, 9);
      expect((await app.request('/api/exports/spc?indicator=AE-4H-T1&organisation=RXH&chart=u&format=svg')).status).toBe(400);
    });
  });
});

describeDemoApi('network SPC chart choice', ({ app }) => {
  it('draws a network on the chart asked for and names the default choice', async () => {
    const byDefault = await getJson<SpcBody & { points: { providers: number }[] }>(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN');
    expect(['p', 'pprime']).toContain(byDefault.kind);
    expect(byDefault.settings.chartChoice).toMatchObject({ chart: byDefault.kind, rule: 'laney_sigma_z_overdispersion', requested: false });
    const xmr = await getJson<SpcBody>(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN&chart=xmr');
    expect(xmr.kind).toBe('xmr');
    // XmR of the network's pooled values: the same values, charted as individuals.
    expect(xmr.points.map((point) => point.value)).toEqual(byDefault.points.map((point) => point.value));
    await expectApiError(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN&chart=u', 400, 'chart');
  });
});
