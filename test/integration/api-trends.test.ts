import { beforeAll, describe, expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';
import { bearer, roleTokens } from '../support/role-tokens';
import { withheldProportion } from '../support/withheld-counts';

describeDemoApi('API trends', ({ app, database }) => {
  let analyst: string;
  beforeAll(async () => {
    analyst = (await roleTokens(database().db)).analyst;
  });

  it('draws a proportion as a p-chart on the percentage scale: centre Σx/Σn and limits ± 3√(p̄(1 − p̄)/n), recomputed from the raw counts', async () => {
    const body = await getJson(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA');
    const rows = await rawObservations(database().db, 'VA-CANCER62', { organisation: 'RZA' });
    expect(body.kind).toBe('p');
    expect(body.points.map((point: { period: string; startDate: string; endDate: string }) => [point.period, point.startDate, point.endDate])).toEqual(rows.map((row) => [row.period, row.startDate, row.endDate]));
    const pBar = sum(rows.map((row) => row.numerator!)) / sum(rows.map((row) => row.denominator!));
    const last = rows.at(-1)!;
    const upper = 100 * (pBar + 3 * Math.sqrt((pBar * (1 - pBar)) / last.denominator!));
    expect(body.points.at(-1)).toMatchObject({ value: expect.closeTo((100 * last.numerator!) / last.denominator!, 10), centre: expect.closeTo(100 * pBar, 10), upperLimit: expect.closeTo(upper, 10) });
    // Higher is better and the 85 % target lies above the upper limit (RZA's planted 49 %): the target will consistently be failed.
    expect(upper).toBeLessThan(85);
    expect(body.settings).toMatchObject({ kind: 'p', improvementDirection: 'increase', target: 85, multiplier: 100, suppressionThreshold: 5 });
    expect(body.assurance).toBe('consistent_fail');
    expect(body.variation).toMatch(/^common_cause$|^special_cause_/);
  });

  it('draws an indirectly standardised ratio as a u-chart of observed per expected, decrease being better, with no target', async () => {
    const body = await getJson(app(), '/api/trends/spc?indicator=VA-SHMI&organisation=RZB');
    const rows = await rawObservations(database().db, 'VA-SHMI', { organisation: 'RZB' });
    expect(body.kind).toBe('u');
    expect(body.segments[0].centre).toBeCloseTo(sum(rows.map((row) => row.observed!)) / sum(rows.map((row) => row.expected!)), 12);
    expect(body.points[0].value).toBeCloseTo(rows[0].observed! / rows[0].expected!, 12);
    expect(body.settings.improvementDirection).toBe('decrease');
    expect(body.assurance).toBeNull();
  });

  it('draws a crude rate per 100,000 bed days as a u-chart on the display scale (every count, as an analyst without suppression)', async () => {
    const response = await app().request('/api/trends/spc?indicator=VA-CDIFF-HO&organisation=RZG&suppression=0&suppressionReason=checking+the+chart', { headers: bearer(analyst) });
    expect(response.status).toBe(200);
    const body = await response.json();
    const rows = await rawObservations(database().db, 'VA-CDIFF-HO', { organisation: 'RZG' });
    const uBar = sum(rows.map((row) => row.numerator!)) / sum(rows.map((row) => row.denominator!));
    expect(body.kind).toBe('u');
    expect(body.points[2].centre).toBeCloseTo(100_000 * uBar, 9);
    expect(body.points[2].upperLimit).toBeCloseTo(100_000 * (uBar + 3 * Math.sqrt(uBar / rows[2].denominator!)), 9);
  });

  it('draws published means as an XmR chart: mean ± 2.66 × the mean moving range when unscreened, neutral without a polarity', async () => {
    const body = await getJson(app(), '/api/trends/spc?indicator=VA-LOS&organisation=RZE&screen=false');
    const values = (await rawObservations(database().db, 'VA-LOS', { organisation: 'RZE' })).map((row) => row.value!);
    const mean = sum(values) / values.length;
    const movingRange = sum(values.slice(1).map((value, i) => Math.abs(value - values[i]))) / (values.length - 1);
    expect(body.kind).toBe('xmr');
    expect(body.points[0]).toMatchObject({ centre: expect.closeTo(mean, 10), upperLimit: expect.closeTo(mean + 2.66 * movingRange, 10), lowerLimit: expect.closeTo(mean - 2.66 * movingRange, 10) });
    expect(body.settings).toMatchObject({ kind: 'xmr', improvementDirection: 'neutral', screenMovingRanges: false });
    expect(body.variation).not.toMatch(/improvement|concern/);
  });

  it('shows the planted A&E step as special-cause improvement, and rebasing at the step gives the later segment its own centre', async () => {
    const whole = await getJson(app(), '/api/trends/spc?indicator=VA-AE4H&organisation=RZP');
    expect(whole.variation).toBe('special_cause_improvement_high');
    const rebased = await getJson(app(), '/api/trends/spc?indicator=VA-AE4H&organisation=RZP&rebase=2024/25 Q3&baseline=2');
    const rows = await rawObservations(database().db, 'VA-AE4H', { organisation: 'RZP' });
    const after = rows.slice(rows.findIndex((row) => row.period === '2024/25 Q3')).slice(0, 2);
    expect(rebased.segments.map((segment: { startPeriod: string }) => segment.startPeriod)).toEqual(['2023/24 Q1', '2024/25 Q3']);
    expect(rebased.segments[1].centre).toBeCloseTo((100 * sum(after.map((row) => row.numerator!))) / sum(after.map((row) => row.denominator!)), 10);
    expect(rebased.settings).toMatchObject({ baselineLength: 2, rebasePeriods: ['2024/25 Q3'] });
  });

  describe('with a suppressed period', () => {
    // One argument: find's and some's index is not a threshold.
    const withheld = (row: { numerator: number | null; denominator: number | null }) => withheldProportion(row);
    async function seriesWithSmallCount() {
      const rows = await rawObservations(database().db, 'VA-CC-READM48');
      const seriesOf = (code: string) => rows.filter((row) => row.code === code);
      // A provider with a withheld period and at least two published ones, so it has a chart at all.
      const code = [...new Set(rows.map((row) => row.code))].find((candidate) => seriesOf(candidate).some(withheld) && seriesOf(candidate).filter((row) => !withheld(row)).length >= 2);
      expect(code).toBeDefined();
      return seriesOf(code!);
    }

    it('charts it without figures or limits, and its centre is that of the published periods alone', async () => {
      const series = await seriesWithSmallCount();
      const published = series.filter((row) => !withheld(row));
      const body = await getJson(app(), `/api/trends/spc?indicator=VA-CC-READM48&organisation=${series[0].code}`);
      expect(body.points.map((point: { period: string }) => point.period)).toEqual(series.map((row) => row.period));
      const centre = (100 * sum(published.map((row) => row.numerator!))) / sum(published.map((row) => row.denominator!));
      // Counting the withheld counts would move the centre: the comparison can tell.
      expect(Math.abs(centre - (100 * sum(series.map((row) => row.numerator!))) / sum(series.map((row) => row.denominator!)))).toBeGreaterThan(1e-6);
      series.forEach((row, i) => {
        const point = body.points[i];
        expect(point.centre, row.period).toBeCloseTo(centre, 10);
        if (withheld(row)) expect(point).toMatchObject({ suppressed: true, value: null, numerator: null, denominator: null, lowerLimit: null, upperLimit: null, rule: null });
        else expect(point).toMatchObject({ suppressed: false, numerator: row.numerator, value: expect.closeTo((100 * row.numerator!) / row.denominator!, 10) });
      });
    });

    it('cannot rebase at it (400 naming rebase)', async () => {
      const series = await seriesWithSmallCount();
      const at = series.find(withheld)!.period;
      await expectApiError(app(), `/api/trends/spc?indicator=VA-CC-READM48&organisation=${series[0].code}&rebase=${encodeURIComponent(at)}`, 400, 'rebase');
    });
  });

  it("places the provider in every period's funnel of all providers, z recomputed on the arcsine scale", async () => {
    const body = await getJson(app(), '/api/trends/funnel-position?indicator=VA-CANCER62&organisation=RZA&adjustment=additive');
    expect(body.positions).toHaveLength(10);
    expect(body.method).toMatchObject({ convention: 'spiegelhalter', adjustment: 'additive', trimFraction: 0.1 });
    // The planted outlier sits below 99.8 % in every quarter.
    expect(body.positions.every((position: { band: string; judgement: string }) => position.band === 'below-99.8' && position.judgement === 'worse')).toBe(true);
    const period = body.positions[3].period.label;
    const rows = await rawObservations(database().db, 'VA-CANCER62', { period });
    const theta = sum(rows.map((row) => row.numerator!)) / sum(rows.map((row) => row.denominator!));
    const own = rows.find((row) => row.code === 'RZA')!;
    const z = (Math.asin(Math.sqrt(own.numerator! / own.denominator!)) - Math.asin(Math.sqrt(theta))) * 2 * Math.sqrt(own.denominator!);
    expect(body.positions[3]).toMatchObject({ reported: true, suppressed: false, z: expect.closeTo(z, 9), funnel: { available: true, target: expect.closeTo(100 * theta, 10) } });
  });

  it.each([
    ['/api/trends/spc?organisation=RZB', 400, 'indicator', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-NOPE&organisation=RZB', 404, 'indicator', 'not_found'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=NOPE', 404, 'organisation', 'not_found'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=Z10001', 404, 'organisation', 'not_found'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&baseline=0', 400, 'baseline', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&baseline=11', 400, 'baseline', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&rebase=1999', 400, 'rebase', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&rebase=2023/24 Q1', 400, 'rebase', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&trendLength=1', 400, 'trendLength', 'invalid_parameter'],
    ['/api/trends/spc?indicator=VA-SHMI&organisation=RZB&screen=maybe', 400, 'screen', 'invalid_parameter'],
    ['/api/trends/funnel-position?indicator=VA-LOS&organisation=RZE&convention=shmi', 422, 'convention', 'funnel_not_available'],
    ['/api/trends/funnel-position?indicator=VA-SHMI&organisation=RZB&convention=nhs', 400, 'convention', 'invalid_parameter'],
    ['/api/trends/funnel-position?indicator=VA-SHMI&organisation=NOPE', 404, 'organisation', 'not_found'],
  ])('%s answers %i naming %s', (path, status, parameter, code) => expectApiError(app(), path, status, parameter, code));
});
