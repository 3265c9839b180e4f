import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations } from '../support/raw-observations';

const z998 = 3.090232306167813;

/** Wilson's score interval (methods.md), written out here independently of api/stats/intervals. */
function wilson(x: number, n: number, z: number): [number, number] {
  const centre = 2 * x + z * z;
  const spread = z * Math.sqrt(z * z + 4 * x * (1 - x / n));
  return [(centre - spread) / (2 * (n + z * z)), (centre + spread) / (2 * (n + z * z))];
}

/** `confidence=` on /api/measures: 95 % by default, 99.8 % on request, named in the answer; nothing else accepted. */
describeDemoApi('measures at a chosen confidence', ({ app, database }) => {
  it('gives a provider’s Wilson interval at 99.8 % when asked, and says so', async () => {
    const base = '/api/measures?indicator=VA-CANCER62&organisation=RZB&period=2025/26 Q2';
    const [own] = await rawObservations(database().db, 'VA-CANCER62', { period: '2025/26 Q2', organisation: 'RZB' });
    const wide = await getJson(app(), `${base}&confidence=0.998`);
    const [lower, upper] = wilson(own.numerator!, own.denominator!, z998);
    expect(wide.confidence).toBe(0.998);
    expect(wide.lower).toBeCloseTo(100 * lower, 10);
    expect(wide.upper).toBeCloseTo(100 * upper, 10);
    const usual = await getJson(app(), base);
    expect(usual.confidence).toBe(0.95);
    expect(usual.value).toBe(wide.value);
    expect(usual.upper - usual.lower).toBeLessThan(wide.upper - wide.lower);
  });

  it('gives a network’s pooled interval at 99.8 %: Wilson on the summed counts', async () => {
    const body = await getJson(app(), '/api/measures/network?indicator=VA-CANCER62&network=KB-CANCER&period=2024/25 Q1&confidence=0.998');
    expect(body.confidence).toBe(0.998);
    const members = await getJson(app(), '/api/networks/KB-CANCER?date=2024-06-30');
    const codes = new Set(members.members.map((member: { code: string }) => member.code));
    const rows = (await rawObservations(database().db, 'VA-CANCER62', { period: '2024/25 Q1' })).filter((row) => codes.has(row.code));
    const [x, n] = [rows.reduce((s, r) => s + r.numerator!, 0), rows.reduce((s, r) => s + r.denominator!, 0)];
    const [lower, upper] = wilson(x, n, z998);
    expect(body.pooled.lower).toBeCloseTo(100 * lower, 10);
    expect(body.pooled.upper).toBeCloseTo(100 * upper, 10);
  });

  it('leaves out a published 95 % interval rather than rescale it', async () => {
    const body = await getJson(app(), '/api/measures?indicator=VA-LOS&organisation=RZB&confidence=0.998');
    expect(body).toMatchObject({ confidence: 0.998, lower: null, upper: null, method: 'none' });
    expect(body.value).not.toBeNull();
  });

  it.each(['0.9', '95', '0.99', 'high'])('refuses confidence=%s, naming confidence', async (value) => {
    await expectApiError(app(), `/api/measures?indicator=VA-CANCER62&organisation=RZB&confidence=${value}`, 400, 'confidence');
    await expectApiError(app(), `/api/measures/network?indicator=VA-CANCER62&network=KB-CANCER&confidence=${value}`, 400, 'confidence');
  });
});
