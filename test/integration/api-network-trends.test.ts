import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

describeDemoApi('API network trends and provenance', ({ app, database }) => {
  /** KB-CC-ODN's members' VA-CC-READM48 rows in a period, and those published at a threshold (no count from 1 to threshold − 1, complement included). */
  async function ccMembers(period: string, threshold: number) {
    const members = (await getJson(app(), '/api/networks/KB-CC-ODN')).members.map((member: { code: string }) => member.code);
    // TZA joins the network on 2024-07-01: a member at the end of 2024/25 Q2 but not of 2024/25 Q1.
    const rows = (await rawObservations(database().db, 'VA-CC-READM48', { period })).filter((row) => members.includes(row.code) && (row.code !== 'TZA' || row.startDate >= '2024-07-01'));
    return { rows, published: rows.filter((row) => !withheldProportion(row, threshold)) };
  }
  const pooledCounts = (rows: { numerator: number | null; denominator: number | null }[]) => ({ providers: rows.length, numerator: sum(rows.map((row) => row.numerator!)), denominator: sum(rows.map((row) => row.denominator!)) });

  it("charts a network's pooled proportion as a p-chart of its published members' summed counts, members dated per period", async () => {
    const body = await getJson(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN');
    const point = (period: string) => body.points.find((entry: { period: string }) => entry.period === period);
    expect(body).toMatchObject({ kind: 'p', network: { code: 'KB-CC-ODN' }, indicator: { code: 'VA-CC-READM48' } });
    const q1 = await ccMembers('2024/25 Q1', 5);
    const q2 = await ccMembers('2024/25 Q2', 5);
    expect(point('2024/25 Q1')).toMatchObject({ suppressed: false, ...pooledCounts(q1.published) });
    expect(point('2024/25 Q2').providers).toBe(q2.published.length);
    expect(q2.rows.some((row) => row.code === 'TZA')).toBe(true);
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

  it('pools only the members published at the threshold asked for, so no withheld count is in any total', async () => {
    const body = await getJson(app(), '/api/trends/network-spc?indicator=VA-CC-READM48&network=KB-CC-ODN&suppression=10');
    for (const period of ['2024/25 Q1', '2024/25 Q2']) {
      const { rows, published } = await ccMembers(period, 10);
      expect(published.length, period).toBeLessThan(rows.length);
      expect(body.points.find((entry: { period: string }) => entry.period === period), period).toMatchObject({ suppressed: false, ...pooledCounts(published) });
    }
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
