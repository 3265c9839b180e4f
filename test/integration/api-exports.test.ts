import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

/** Width and height from a PNG's IHDR chunk (bytes 16–23), read without any image library. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

describeDemoApi('API exports', ({ app }) => {
  it('renders the funnel as a slide-sized PNG and an A4 PNG', async () => {
    const slide = await app().request('/api/exports/funnel?indicator=VA-SHMI&network=KB-CC-ODN');
    expect(slide.status).toBe(200);
    expect(slide.headers.get('content-type')).toBe('image/png');
    expect(slide.headers.get('content-disposition')).toMatch(/filename="funnel-VA-SHMI-2025-26-Q2\.png"/);
    expect(pngSize(new Uint8Array(await slide.arrayBuffer()))).toEqual({ width: 1280, height: 720 });
    const a4 = await app().request('/api/exports/funnel?indicator=VA-SHMI&size=a4');
    expect(pngSize(new Uint8Array(await a4.arrayBuffer()))).toEqual({ width: 1123, height: 794 });
  });

  it('draws in the SVG the title, period, source and method footnote, and every shown provider', async () => {
    const funnel = await getJson(app(), '/api/funnel?indicator=VA-CANCER62&adjustment=additive');
    const response = await app().request('/api/exports/funnel?indicator=VA-CANCER62&adjustment=additive&format=svg');
    expect(response.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await response.text();
    expect(svg).toContain('width="1280"');
    expect(svg).toContain(funnel.indicator.name);
    expect(svg).toContain(funnel.period.label);
    expect(svg).toContain('Variation Atlas synthetic demo data');
    expect(svg).toContain('DerSimonian');
    expect(svg).toContain('role="img"');
  });

  it('exports the same numbers as CSV, one row per provider', async () => {
    const funnel = await getJson(app(), '/api/funnel?indicator=VA-SHMI');
    const csv = await (await app().request('/api/exports/funnel?indicator=VA-SHMI&format=csv')).text();
    const lines = csv.trim().split('\r\n');
    expect(lines).toHaveLength(funnel.providers.length + 1);
    const rzb = funnel.providers.find((provider: { code: string }) => provider.code === 'RZB');
    expect(lines.find((line) => line.startsWith('RZB,'))).toContain(`,${rzb.value},${rzb.lower},${rzb.upper},${rzb.z},${rzb.adjustedZ},${rzb.band},${rzb.judgement}`);
  });

  it('exports the caterpillar, SPC, tartan and spine charts', async () => {
    for (const path of [
      '/api/exports/caterpillar?indicator=VA-FDS28&format=svg',
      '/api/exports/spc?indicator=VA-AE4H&organisation=RZP&format=svg',
      '/api/exports/tartan?network=KB-CANCER&format=svg',
      '/api/exports/spine?organisation=RZB&format=svg',
    ]) {
      const response = await app().request(path);
      expect(response.status, path).toBe(200);
      expect(await response.text()).toMatch(/^<svg/);
    }
    const spc = await getJson(app(), '/api/trends/spc?indicator=VA-AE4H&organisation=RZP');
    const csv = await (await app().request('/api/exports/spc?indicator=VA-AE4H&organisation=RZP&format=csv')).text();
    expect(csv.trim().split('\r\n')).toHaveLength(spc.points.length + 1);
  });

  it.each([
    ['/api/exports/pie?indicator=VA-SHMI', 400, 'chart'],
    ['/api/exports/funnel?indicator=VA-SHMI&format=gif', 400, 'format'],
    ['/api/exports/funnel?indicator=VA-SHMI&size=poster', 400, 'size'],
    ['/api/exports/funnel?indicator=NOPE', 404, 'indicator'],
    ['/api/exports/funnel?indicator=VA-SHMI&trim=5', 400, 'trim'],
    ['/api/exports/spc?indicator=VA-SHMI&organisation=NOPE', 404, 'organisation'],
    ['/api/exports/spine?organisation=NOPE', 404, 'organisation'],
  ])('%s answers %i naming %s', (path, status, parameter) => expectApiError(app(), path, status, parameter));
});
