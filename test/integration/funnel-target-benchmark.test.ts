import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { examplesFolder, loadExample } from '../../etl/example/load-example';
import { describeDatabase } from '../support/database';
import { getJson } from '../support/demo-api';
import { parseCsvRecords } from '../support/shared';

// Issue 15: with benchmark=target, φ and τ² were estimated around the target, so the gap between the
// providers and the target was taken for chance variation. On CWT January 2026 (CWT-62D, cqc: arcsine,
// winsorised 10 %, additive τ², target in force 75 %) that gave φ 9.60 and τ² 0.00973 against 6.32 and
// 0.00602 around the pooled centre, and 0 providers worse than the target; with the fix, 2.
// Everything below is recomputed here from the published CSV's counts, not from the product.

const cwt62 = parseCsvRecords(readFileSync(join(examplesFolder, 'england', 'cwt_2026-01_provider_level.csv'), 'utf8')).filter((row) => row.Standard === '62D');
const counts = new Map(cwt62.map((row) => [row['Org Code'], { within: Number(row.Within), total: Number(row.Total) }]));
const Z998 = 3.090232306167813;

/** R's type 7 quantile of sorted values. */
const quantile7 = (sorted: number[], p: number) => {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]) - sorted[lo]);
};

/** φ (winsorised 10 %) and DerSimonian–Laird τ² on the arcsine scale, around a given centre. */
function byHand(providers: { within: number; total: number }[], centre: number) {
  const z = providers.map(({ within, total }) => 2 * Math.sqrt(total) * (Math.asin(Math.sqrt(within / total)) - Math.asin(Math.sqrt(centre))));
  const sorted = [...z].sort((a, b) => a - b);
  const [lower, upper] = [quantile7(sorted, 0.1), quantile7(sorted, 0.9)];
  const n = z.length;
  const phi = z.reduce((sum, value) => sum + Math.min(Math.max(value, lower), upper) ** 2, 0) / n;
  const w = providers.map(({ total }) => 4 * total);
  const sumW = w.reduce((a, b) => a + b, 0);
  const sumW2 = w.reduce((a, b) => a + b * b, 0);
  return { phi, tau2: Math.max(0, (n * phi - (n - 1)) / (sumW - sumW2 / sumW)) };
}

describeDatabase('a funnel against a target (CWT January 2026)', (database) => {
  beforeAll(async () => {
    await loadExample(database(), 'england', { loadedBy: 'test' });
  }, 60_000);

  it('estimates φ and τ² around the providers’ pooled centre and judges each provider against the target', async () => {
    const app = createApp({ db: database().db, databaseKind: database().kind });
    const own = await getJson(app, '/api/funnel?indicator=CWT-62D');
    const funnel = await getJson(app, '/api/funnel?indicator=CWT-62D&benchmark=target');
    const judged = funnel.providers.filter((p: { suppressed: boolean }) => !p.suppressed);
    const raw = judged.map((p: { code: string }) => counts.get(p.code)!);
    const pooled = raw.reduce((sum: number, r: { within: number }) => sum + r.within, 0) / raw.reduce((sum: number, r: { total: number }) => sum + r.total, 0);
    const target = funnel.target / 100;
    expect(target).toBe(0.75);

    const centred = byHand(raw, pooled);
    const aroundTarget = byHand(raw, target);
    expect(funnel.overdispersion.phi).toBeCloseTo(centred.phi, 9);
    expect(funnel.overdispersion.tau2).toBeCloseTo(centred.tau2, 12);
    // The old estimate is far from it: a test that the fix, not the data, moved φ.
    expect(aroundTarget.phi / centred.phi).toBeGreaterThan(1.4);
    // The all-providers funnel estimates the same φ: overdispersion does not depend on the benchmark.
    expect(own.overdispersion.phi).toBeCloseTo(funnel.overdispersion.phi, 12);

    const adjustedZ = raw.map(({ within, total }: { within: number; total: number }) =>
      (Math.asin(Math.sqrt(within / total)) - Math.asin(Math.sqrt(target))) / Math.sqrt(1 / (4 * total) + centred.tau2));
    judged.forEach((p: { adjustedZ: number }, i: number) => expect(p.adjustedZ).toBeCloseTo(adjustedZ[i], 9));
    const worse = judged.filter((p: { judgement: string }) => p.judgement === 'worse').map((p: { code: string }) => p.code);
    expect(worse).toEqual(judged.filter((_: unknown, i: number) => adjustedZ[i] < -Z998).map((p: { code: string }) => p.code));
    expect(worse).toHaveLength(2);
  });
});
