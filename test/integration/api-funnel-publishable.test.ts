import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadIndicators } from '../../etl/load/load-reference';
import { loadObservations } from '../../etl/load/load-observations';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase } from '../support/database';
import { expectApiError } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { bearer, roleTokens } from '../support/role-tokens';
import { describeWithShared, readSharedCsv } from '../support/shared';

interface Pair { lower95: number; upper95: number; lower998: number; upper998: number }
interface Provider {
  code: string;
  suppressed: boolean;
  numerator: number | null;
  denominator: number | null;
  value: number | null;
  limits?: { unadjusted: Pair; adjusted: Pair | null } | null;
  shrunken?: { value: number; lower: number; upper: number } | null;
  rank?: { estimate: number; lower: number; upper: number; of: number } | null;
}

const oracle = () => readSharedCsv('oracles', 'FunnelPlotR', 'medpar_SR_SHMI_limit99_expected.csv');
const asAnalyst = 'suppression=0&suppressionReason=checking+against+FunnelPlotR';

/**
 * FunnelPlotR 0.6.0's SHMI funnel of medpar (length of stay against its prediction, E rounded to two decimals as
 * its SHMI mode does) loaded through the ETL as an indirectly standardised ratio, then read through the API:
 * each provider's own limits (providerLimits=true) against FunnelPlotR's per-provider columns, the CSV an analyst
 * downloads, and the empirical-Bayes estimates recomputed here with DerSimonian–Laird on the log scale.
 */
describeWithShared('publishable per-provider limits and shrinkage through the API', () => {
  describeDatabase('medpar as an indirectly standardised ratio', (database) => {
    let app: ReturnType<typeof createApp>;
    let analyst: string;
    beforeAll(async () => {
      const handle = database();
      const folder = temporaryFolder();
      const indicators = folder.write(
        'indicators.csv',
        ['code,name,domain,measure_kind,polarity,multiplier,unit,definition,source,target', 'MEDPAR-LOS,Length of stay against prediction,Efficiency,indirectly_standardised_ratio,lower_is_better,1,ratio,,,'].join('\n'),
      );
      await loadIndicators(handle, indicators);
      const path = folder.write(
        'medpar.csv',
        ['indicator_code,organisation_code,period,observed,expected', ...oracle().map((row) => `MEDPAR-LOS,${row.group},2024,${row.numerator},${row.denominator}`)].join('\n'),
      );
      await loadObservations(handle, await openObservationSource(path), path, { loadedBy: 'test', createMissingOrganisations: true });
      folder.remove();
      app = createApp({ db: handle.db, databaseKind: handle.kind });
      analyst = (await roleTokens(handle.db)).analyst;
    }, 60_000);

    const funnelOf = async (query: string) => {
      const response = await app.request(`/api/funnel?indicator=MEDPAR-LOS&convention=shmi&${query}`, { headers: bearer(analyst) });
      expect(response.status, await response.clone().text()).toBe(200);
      return response.json();
    };

    it('gives each provider its own 95 % and 99.8 % limits, unadjusted and adjusted, as FunnelPlotR publishes them', async () => {
      const funnel = await funnelOf(`providerLimits=true&${asAnalyst}`);
      const byCode = new Map((funnel.providers as Provider[]).map((p) => [p.code, p]));
      const rows = oracle();
      expect(funnel.overdispersion.applied).toBe(true);
      for (const row of rows) {
        const limits = byCode.get(row.group)!.limits!;
        const close = (actual: number, expected: string, what: string) =>
          expect(Math.abs(actual - Number(expected)), `${row.group} ${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(1e-6 * Number(expected));
        close(limits.unadjusted.lower95, row.LCL95, 'LCL95');
        close(limits.unadjusted.upper95, row.UCL95, 'UCL95');
        close(limits.unadjusted.lower998, row.LCL99, 'LCL99');
        close(limits.unadjusted.upper998, row.UCL99, 'UCL99');
        close(limits.adjusted!.lower95, row.OD95LCL, 'OD95LCL');
        close(limits.adjusted!.upper95, row.OD95UCL, 'OD95UCL');
        close(limits.adjusted!.lower998, row.OD99LCL, 'OD99LCL');
        close(limits.adjusted!.upper998, row.OD99UCL, 'OD99UCL');
      }
      expect(funnel.providers).toHaveLength(rows.length);
      expect((await funnelOf(asAnalyst)).providers[0]).not.toHaveProperty('limits');
    });

    it('exports the limits in the CSV, values at three decimals and z at three, with indicator and period on every row', async () => {
      const funnel = await funnelOf(`providerLimits=true&${asAnalyst}`);
      const response = await app.request(`/api/funnel?indicator=MEDPAR-LOS&convention=shmi&providerLimits=true&format=csv&${asAnalyst}`, { headers: bearer(analyst) });
      const [header, ...lines] = (await response.text()).trim().split('\r\n');
      const columns = header.split(',');
      expect(columns).toEqual([
        'indicator', 'period', 'code', 'name', 'inNetwork', 'suppressed', 'numerator', 'denominator', 'value', 'lower', 'upper', 'z', 'adjustedZ', 'band', 'judgement',
        'lower95', 'upper95', 'lower998', 'upper998', 'adjustedLower95', 'adjustedUpper95', 'adjustedLower998', 'adjustedUpper998',
      ]);
      expect(lines).toHaveLength(funnel.providers.length);
      const first = (funnel.providers as (Provider & { z: number })[])[0];
      const cells = Object.fromEntries(lines.find((line) => line.includes(`,${first.code},`))!.split(',').map((cell, i) => [columns[i], cell]));
      expect(cells).toMatchObject({ indicator: 'MEDPAR-LOS', period: '2024', numerator: String(first.numerator), denominator: String(first.denominator) });
      expect(cells.value).toBe(String(Number(first.value!.toFixed(3))));
      expect(cells.z).toBe(String(Number(first.z.toFixed(3))));
      expect(cells.upper998).toBe(String(Number(first.limits!.unadjusted.upper998.toFixed(3))));
      expect(cells.adjustedLower95).toBe(String(Number(first.limits!.adjusted!.lower95.toFixed(3))));
      for (const line of lines) for (const cell of line.split(',')) expect(cell).not.toMatch(/\.\d{4,}$/);
    });

    it('shrinks each provider toward the random-effects mean on the log scale (DerSimonian–Laird), with rank intervals', async () => {
      const funnel = await funnelOf(`shrinkage=true&${asAnalyst}`);
      const providers = funnel.providers as Provider[];
      // Recomputed here: y = ln(O/E), s² = 1/E; τ² by DerSimonian–Laird; BLUP θ + (1 − B)(y − θ), var (1 − B)s² + B²/Σw*.
      const y = providers.map((p) => Math.log(p.numerator! / p.denominator!));
      const v = providers.map((p) => 1 / p.denominator!);
      const w = v.map((x) => 1 / x);
      const sumW = w.reduce((a, b) => a + b, 0);
      const fixed = y.reduce((a, yi, i) => a + w[i] * yi, 0) / sumW;
      const q = y.reduce((a, yi, i) => a + w[i] * (yi - fixed) ** 2, 0);
      const tau2 = Math.max(0, (q - (y.length - 1)) / (sumW - w.reduce((a, b) => a + b * b, 0) / sumW));
      const wStar = v.map((x) => 1 / (x + tau2));
      const theta = y.reduce((a, yi, i) => a + wStar[i] * yi, 0) / wStar.reduce((a, b) => a + b, 0);
      const thetaVariance = 1 / wStar.reduce((a, b) => a + b, 0);
      expect(funnel.method.shrinkageTau2).toBeCloseTo(tau2, 12);
      expect(tau2).toBeGreaterThan(0);
      providers.forEach((p, i) => {
        const b = v[i] / (v[i] + tau2);
        const mean = theta + (1 - b) * (y[i] - theta);
        const sd = Math.sqrt((1 - b) * v[i] + b * b * thetaVariance);
        expect(p.shrunken!.value).toBeCloseTo(Math.exp(mean), 9);
        expect(p.shrunken!.lower).toBeCloseTo(Math.exp(mean - 1.959963984540054 * sd), 9);
        expect(p.shrunken!.upper).toBeCloseTo(Math.exp(mean + 1.959963984540054 * sd), 9);
        expect(p.rank!.of).toBe(providers.length);
        expect(p.rank!.lower).toBeLessThanOrEqual(p.rank!.estimate);
        expect(p.rank!.estimate).toBeLessThanOrEqual(p.rank!.upper);
      });
      // 1 is the highest: the highest shrunken value has the smallest expected rank.
      const highest = providers.reduce((a, b) => (b.shrunken!.value > a.shrunken!.value ? b : a));
      expect(Math.min(...providers.map((p) => p.rank!.estimate))).toBe(highest.rank!.estimate);
    });

    it('gives withheld providers no limits, estimate or rank, and ranks among the published only', async () => {
      const response = await app.request('/api/funnel?indicator=MEDPAR-LOS&convention=shmi&providerLimits=true&shrinkage=true');
      const funnel = await response.json();
      const withheld = (funnel.providers as Provider[]).filter((p) => p.suppressed);
      // medpar's provider with two stays against its prediction falls under the default threshold of 5.
      expect(withheld.map((p) => p.code)).toEqual(oracle().filter((row) => Number(row.numerator) < 5).map((row) => row.group));
      for (const p of withheld) expect(p).toMatchObject({ limits: null, shrunken: null, rank: null });
      expect(funnel.providers.find((p: Provider) => !p.suppressed).rank.of).toBe(funnel.providers.length - withheld.length);
    });

    it.each(['providerLimits', 'shrinkage'])('refuses %s=yes, naming it', (flag) => expectApiError(app, `/api/funnel?indicator=MEDPAR-LOS&${flag}=yes`, 400, flag));

    it('documents the new parameters in the OpenAPI document', async () => {
      const document = await (await app.request('/api/openapi.json')).json();
      const parameters = document.paths['/api/funnel'].get.parameters as { name: string; description?: string; schema: { enum?: string[] } }[];
      const named = (name: string) => parameters.find((parameter) => parameter.name === name)!;
      expect(named('benchmark').schema.enum).toEqual(['all', 'network', 'target', 'peers']);
      expect(named('providerLimits').description).toContain('own 95 % and 99.8 % limits');
      expect(named('shrinkage').description).toContain('empirical-Bayes');
      expect(named('fdrLevel').description).toContain('0.001 to 0.2');
      // Peer groups are a benchmark of SPC assurance and of the variation finder too.
      const on = (path: string) => (document.paths[path].get.parameters as { name: string; schema: { enum?: string[] } }[]).map((parameter) => [parameter.name, parameter.schema.enum ?? null]);
      expect(on('/api/trends/spc')).toEqual(expect.arrayContaining([['benchmark', ['target', 'peers']], ['peers', null], ['peersOf', null], ['k', null]]));
      expect(on('/api/variation')).toEqual(expect.arrayContaining([['benchmark', ['all', 'peers']], ['peers', null], ['nearest', ['true', 'false']], ['k', null], ['attributes', null]]));
    });
  });
});
