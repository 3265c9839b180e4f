import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';

const z95 = 1.959963984540054;

interface Entry {
  indicator: { code: string };
  period: { label: string };
  [field: string]: any;
}

describeDemoApi('API provider profile', ({ app, database }) => {
  const entryOf = (body: { indicators: Entry[] }, code: string) => body.indicators.find((entry) => entry.indicator.code === code)!;

  it('gives every indicator the trust reports, with value, Wilson interval and the benchmark of all providers, recomputed', async () => {
    const body = await getJson(app(), '/api/profile/RZA');
    expect(body.organisation).toMatchObject({ code: 'RZA', kind: 'trust' });
    expect(body.indicators).toHaveLength(9);
    const cancer = entryOf(body, 'VA-CANCER62');
    const rows = await rawObservations(database().db, 'VA-CANCER62', { period: cancer.period.label });
    const own = rows.find((row) => row.code === 'RZA')!;
    const [x, n] = [own.numerator!, own.denominator!];
    // Wilson score interval (methods.md), written out here.
    const lower = (2 * x + z95 ** 2 - z95 * Math.sqrt(z95 ** 2 + 4 * x * (1 - x / n))) / (2 * (n + z95 ** 2));
    expect(cancer).toMatchObject({ reported: true, suppressed: false, value: expect.closeTo((100 * x) / n, 10), lower: expect.closeTo(100 * lower, 8), intervalMethod: 'wilson' });
    expect(cancer.benchmark).toMatchObject({ value: expect.closeTo((100 * sum(rows.map((row) => row.numerator!))) / sum(rows.map((row) => row.denominator!)), 10), providers: rows.length });
    expect(cancer.funnel).toMatchObject({ available: true, band: 'below-99.8', judgement: 'worse' });
    // The planted 49 % is the lowest of all: no other provider is lower.
    expect(cancer.percentileRank).toEqual({ value: 0, peers: rows.length - 1 });
  });

  it('ranks a mid-table value by counting the other providers below it, ties as half', async () => {
    const body = await getJson(app(), '/api/profile/RZG');
    const shmi = entryOf(body, 'VA-SHMI');
    const rows = await rawObservations(database().db, 'VA-SHMI', { period: shmi.period.label });
    const ratio = (row: (typeof rows)[number]) => row.observed! / row.expected!;
    const own = ratio(rows.find((row) => row.code === 'RZG')!);
    const others = rows.filter((row) => row.code !== 'RZG').map(ratio);
    const expected = (100 * (others.filter((value) => value < own).length + others.filter((value) => value === own).length / 2)) / others.length;
    expect(shmi.percentileRank.value).toBeCloseTo(expected, 10);
    expect(shmi.percentileRank.value).toBeGreaterThan(0);
    expect(shmi.percentileRank.value).toBeLessThan(100);
    // A control provider: no planted or random effect, so it is not beyond 99.8 %.
    expect(shmi.funnel.judgement).toBe('as-expected');
  });

  it("gives the SPC status of the provider's series, the same as the trends chart", async () => {
    const body = await getJson(app(), '/api/profile/RZP');
    const ae = entryOf(body, 'VA-AE4H');
    const chart = await getJson(app(), '/api/trends/spc?indicator=VA-AE4H&organisation=RZP');
    expect(ae.spc).toEqual({ available: true, kind: chart.kind, variation: chart.variation, assurance: chart.assurance, points: 10, lastPeriod: '2025/26 Q2' });
    expect(ae.spc.variation).toBe('special_cause_improvement_high');
  });

  it('takes a period, charting the series only up to it', async () => {
    const body = await getJson(app(), '/api/profile/RZA?period=2024/25 Q1');
    const cancer = entryOf(body, 'VA-CANCER62');
    expect(cancer.period.label).toBe('2024/25 Q1');
    expect(cancer.spc).toMatchObject({ points: 5, lastPeriod: '2024/25 Q1' });
  });

  it('says a closed practice did not report in the latest period rather than showing an old value', async () => {
    const body = await getJson(app(), '/api/profile/Z10150');
    const cervical = entryOf(body, 'VA-CERVICAL');
    expect(cervical).toMatchObject({ reported: false, value: null, percentileRank: { value: null }, funnel: { judgement: null } });
    expect(cervical.spc).toMatchObject({ available: true, lastPeriod: '2024/25 Q2' });
  });

  it.each([
    ['/api/profile/NOPE', 404, 'organisation', 'not_found'],
    ['/api/profile/bad%20code!', 400, 'code', 'invalid_parameter'],
    ['/api/profile/RZA?period=1999', 404, 'period', 'not_found'],
    ['/api/profile/RZA?adjustment=lots', 400, 'adjustment', 'invalid_parameter'],
  ])('%s answers %i naming %s', (path, status, parameter, code) => expectApiError(app(), path, status, parameter, code));
});
