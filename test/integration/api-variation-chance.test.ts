import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadExample } from '../../etl/example/load-example';
import { describeDatabase } from '../support/database';
import { getJson } from '../support/demo-api';

describeDatabase('the chance context of the variation finder and the overview (England example)', (database) => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    await loadExample(database(), 'england', { loadedBy: 'test' });
    app = createApp({ db: database().db, databaseKind: database().kind });
  }, 60_000);

  it('sets the findings beside the results judged and the outliers chance alone gives at 99.8 %', async () => {
    const { networks } = await getJson(app, '/api/variation/networks');
    const busiest = [...networks].sort((a: { members: number }, b: { members: number }) => b.members - a.members)[0];
    const variation = await getJson(app, `/api/variation?network=${busiest.code}`);
    const { chance } = variation;
    // Recounted from each indicator's own funnel of all providers, restricted to the network's members.
    let judged = 0;
    const perMember = new Map<string, number>();
    for (const indicator of variation.indicators) {
      if (!indicator.funnel.available) continue;
      const funnel = await getJson(app, `/api/funnel?indicator=${indicator.code}&period=${indicator.period.label}&network=${busiest.code}&networkOnly=true`);
      for (const p of funnel.providers.filter((one: { suppressed: boolean }) => !one.suppressed)) {
        judged += 1;
        perMember.set(p.code, (perMember.get(p.code) ?? 0) + 1);
      }
    }
    expect(judged).toBeGreaterThan(0);
    expect(chance.judged).toBe(judged);
    expect(chance.observed).toBe(variation.findings.length);
    expect(chance.expected).toBeCloseTo(judged * 0.002, 12);
    const k = Math.max(...perMember.values());
    expect(chance.atLeastOnce.at(-1).indicators).toBe(k);
    expect(chance.atLeastOnce.at(-1).probability).toBeCloseTo(1 - 0.998 ** k, 12);
  });

  it('the overview (tartan rug) sets its outlier counts beside the same chance context, from its own cells', async () => {
    const { networks } = await getJson(app, '/api/variation/networks');
    const busiest = [...networks].sort((a: { members: number }, b: { members: number }) => b.members - a.members)[0];
    const overview = await getJson(app, `/api/overview?network=${busiest.code}`);
    type Counts = { counts: { judged: number; outliers: number } };
    const judged = overview.providers.reduce((sum: number, p: Counts) => sum + p.counts.judged, 0);
    expect(judged).toBeGreaterThan(0);
    expect(overview.chance).toMatchObject({ judged, observed: overview.providers.reduce((sum: number, p: Counts) => sum + p.counts.outliers, 0) });
    expect(overview.chance.expected).toBeCloseTo(judged * 0.002, 12);
    const k = Math.max(...overview.providers.map((p: Counts) => p.counts.judged));
    expect(overview.chance.atLeastOnce.at(-1)).toMatchObject({ indicators: k, probability: expect.closeTo(1 - 0.998 ** k, 12) });
  });
});
