import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';

describeDemoApi('API network trends and provenance', ({ app, database }) => {
  it("charts a network's pooled proportion as a p-chart of its members' summed counts, members dated per period", async () => {
    const body = await getJson(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN');
    const members = (await getJson(app(), '/api/networks/KB-CC-ODN')).members.map((member: { code: string }) => member.code);
    const rows = (await rawObservations(database().db, 'VA-CC-READM48')).filter((row) => members.includes(row.code));
    // TZA joins the network on 2024-07-01: a member at the end of 2024/25 Q2 but not of 2024/25 Q1.
    const inPeriod = (period: string) => rows.filter((row) => row.period === period && (row.code !== 'TZA' || row.startDate >= '2024-07-01'));
    const q1 = inPeriod('2024/25 Q1');
    const q2 = inPeriod('2024/25 Q2');
    const point = (period: string) => body.points.find((entry: { period: string }) => entry.period === period);
    expect(body).toMatchObject({ kind: 'p', network: { code: 'KB-CC-ODN' }, indicator: { code: 'VA-CC-READM48' } });
    expect(point('2024/25 Q1')).toMatchObject({ providers: q1.length, numerator: sum(q1.map((row) => row.numerator!)), denominator: sum(q1.map((row) => row.denominator!)) });
    expect(point('2024/25 Q2').providers).toBe(q2.length);
    expect(q2.some((row) => row.code === 'TZA')).toBe(true);
    const all = body.points.map((entry: { numerator: number; denominator: number }) => [entry.numerator, entry.denominator]);
    const pBar = sum(all.map(([x]: number[]) => x)) / sum(all.map(([, n]: number[]) => n));
    expect(body.segments[0].centre).toBeCloseTo(100 * pBar, 10);
  });

  it("ends on the network's pooled value for the latest period, the value the network measure route answers", async () => {
    for (const indicator of ['VA-SHMI', 'VA-AE4H', 'VA-LOS']) {
      const spc = await getJson(app(), `/api/trends/network-spc?indicator=${indicator}&network=KB-CVD-SCN`);
      const latest = spc.points.at(-1);
      const measure = await getJson(app(), `/api/measures/network?indicator=${indicator}&network=KB-CVD-SCN&period=${encodeURIComponent(latest.period)}`);
      expect(latest.value, indicator).toBeCloseTo(measure.pooled.value, 9);
      expect(latest.providers, indicator).toBe(measure.pooled.providers);
    }
  });

  it('withholds a pooled point whose count is small, like any other output', async () => {
    const spc = await getJson(app(), '/api/trends/network-spc?indicator=VA-CDIFF-HO&network=KB-MT-ODN&suppression=1000');
    expect(spc.points.every((point: { suppressed: boolean; value: number | null }) => point.suppressed === (point.value === null))).toBe(true);
    expect(spc.points.some((point: { suppressed: boolean }) => point.suppressed)).toBe(true);
  });

  it.each([
    ['/api/trends/network-spc?network=KB-CC-ODN', 400, 'indicator'],
    ['/api/trends/network-spc?indicator=VA-SHMI', 400, 'network'],
    ['/api/trends/network-spc?indicator=VA-SHMI&network=NOPE', 404, 'network'],
    ['/api/trends/network-spc?indicator=VA-CERVICAL&network=KB-CC-ODN', 404, 'network'],
    ['/api/trends/network-spc?indicator=VA-SHMI&network=KB-CC-ODN&baseline=99', 400, 'baseline'],
    ['/api/provenance?indicators=VA-SHMI,NOPE', 404, 'indicators'],
    ['/api/provenance?indicators=VA-SHMI,VA-SHMI', 400, 'indicators'],
  ])('%s answers %i naming %s', (path, status, parameter) => expectApiError(app(), path, status, parameter));

  it('names the file every figure came from, its checksum and when it was loaded', async () => {
    const body = await getJson(app(), '/api/provenance?indicators=VA-SHMI,VA-AE4H');
    expect(body.batches).toHaveLength(1);
    const [batch] = body.batches;
    expect(batch).toMatchObject({ fileName: expect.stringMatching(/observations\.csv$/), status: 'loaded', checksum: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const rows = [...(await rawObservations(database().db, 'VA-SHMI')), ...(await rawObservations(database().db, 'VA-AE4H'))];
    expect(batch.observations).toBe(rows.length);
    expect(body.loadedAt).toBe(batch.loadedAt);
    expect(Date.now() - Date.parse(body.loadedAt)).toBeLessThan(60 * 60 * 1000);
  });
});
