import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

// Every other route defaults to the latest period; a board pack without one used to be a 400.
describeDemoApi('a board pack without a period (GET /api/packs)', ({ app }) => {
  it("is the latest period of the network's indicators, named in the file name and a header", async () => {
    const { indicators } = await getJson<{ indicators: { code: string }[] }>(app(), '/api/indicators?network=KB-CANCER');
    const ends = await Promise.all(indicators.map(async ({ code }) => (await getJson<{ periods: { label: string; endDate: string }[] }>(app(), `/api/indicators/${code}/periods`)).periods));
    const latest = ends.flat().sort((a, b) => b.endDate.localeCompare(a.endDate))[0];
    const response = await app().request('/api/packs?network=KB-CANCER&format=pdf');
    expect(response.status, await response.clone().text().catch(() => '')).toBe(200);
    expect(decodeURIComponent(response.headers.get('x-pack-period')!)).toBe(latest.label);
    expect(response.headers.get('content-disposition')).toContain(`board-pack-KB-CANCER-${latest.label.replace(/[^A-Za-z0-9-]+/g, '-')}.pdf`);
  }, 180_000);

  it('answers an unknown network 404 naming network, as with a period', async () => {
    await expectApiError(app(), '/api/packs?network=NOPE', 404, 'network', 'not_found');
  });
});
