import { errorFunction } from 'simple-statistics';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadExample } from '../../etl/example/load-example';
import { describeDatabase } from '../support/database';
import { getJson } from '../support/demo-api';

interface Provider { code: string; suppressed: boolean; band: string | null; adjustedZ: number | null; qValue?: number | null }

describeDatabase('the funnel’s chance context and q-values (CWT January 2026)', (database) => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    await loadExample(database(), 'england', { loadedBy: 'test' });
    app = createApp({ db: database().db, databaseKind: database().kind });
  }, 60_000);

  it('counts outliers beside the number chance alone gives, over the published providers only', async () => {
    const funnel = await getJson(app, '/api/funnel?indicator=CWT-62D&benchmark=target');
    const judged = (funnel.providers as Provider[]).filter((p) => !p.suppressed);
    const n = judged.length;
    expect(funnel.chance.judged).toBe(n);
    expect(funnel.chance.limits.map((l: { coverage: number; observed: number }) => [l.coverage, l.observed])).toEqual([
      [0.95, judged.filter((p) => p.band !== 'within').length],
      [0.998, judged.filter((p) => p.band!.endsWith('99.8')).length],
    ]);
    expect(funnel.chance.limits[0].expected).toBeCloseTo(n * 0.05, 12);
    expect(funnel.chance.limits[1].expected).toBeCloseTo(n * 0.002, 12);
    // n = 128: qbinom(c(0.025, 0.975), 128, 0.05) = 2, 12; for 0.002, 0, 2 (test/fixtures/chance/binomial-quantiles.csv).
    expect(n).toBe(128);
    expect(funnel.chance.limits.map((l: { lower: number; upper: number }) => [l.lower, l.upper])).toEqual([[2, 12], [0, 2]]);
    expect(funnel.providers[0]).not.toHaveProperty('qValue');
  });

  it('fdr=true adds BH q-values of the adjusted z, recomputed here as p.adjust(method = "BH") does, null for the suppressed', async () => {
    const funnel = await getJson(app, '/api/funnel?indicator=CWT-62D&benchmark=target&fdr=true');
    const providers = funnel.providers as Provider[];
    const judged = providers.filter((p) => !p.suppressed);
    for (const p of providers.filter((one) => one.suppressed)) expect(p.qValue).toBeNull();
    // p = erfc(|z|/√2) with simple-statistics' erf (accurate to ~1e-7), then BH by sorting descending.
    const p = judged.map((one) => 1 - errorFunction(Math.abs(one.adjustedZ!) / Math.SQRT2));
    const m = p.length;
    const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
    const q: number[] = [];
    order.reduce((running, index, position) => (q[index] = Math.min(running, (m * p[index]) / (m - position))), 1);
    judged.forEach((one, i) => expect(Math.abs(one.qValue! - q[i])).toBeLessThan(1e-6));
    const csv = await app.request('/api/funnel?indicator=CWT-62D&fdr=true&format=csv');
    expect((await csv.text()).split('\r\n')[0]).toMatch(/,qValue$/);
  });

  it('documents fdr in the OpenAPI document from its zod schema', async () => {
    const document = await (await app.request('/api/openapi.json')).json();
    const fdr = document.paths['/api/funnel'].get.parameters.find((parameter: { name: string }) => parameter.name === 'fdr');
    expect(fdr.description).toContain('Benjamini–Hochberg');
  });

  it('refuses an fdr that is not true or false', async () => {
    const body = await getJson(app, '/api/funnel?indicator=CWT-62D&fdr=yes', 400);
    expect(body.error).toMatchObject({ code: 'invalid_parameter', parameter: 'fdr' });
  });
});
