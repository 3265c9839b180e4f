import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

interface Cell {
  indicator: string;
  organisation: string;
  suppressed: boolean;
  value: number | null;
  band: string | null;
  judgement: string | null;
}

describeDemoApi('API network overview', ({ app, database }) => {
  it("has a cell for each member and indicator, judged in the funnel of ALL the indicator's providers", async () => {
    const body = await getJson(app(), '/api/overview?network=KB-CANCER');
    const members = await getJson(app(), '/api/networks/KB-CANCER?date=2025-09-30');
    const memberCodes = new Set<string>(members.members.map((member: { code: string }) => member.code));
    const cancer = body.indicators.find((indicator: { code: string }) => indicator.code === 'VA-CANCER62');
    expect(cancer.period.label).toBe('2025/26 Q2');
    const rows = await rawObservations(database().db, 'VA-CANCER62', { period: '2025/26 Q2' });
    // The peer group is every provider, members or not: the benchmark is Σx/Σn over all of them whose counts are
    // published (none from 1 to 4, complement included).
    expect(rows.some((row) => !memberCodes.has(row.code))).toBe(true);
    const published = rows.filter((row) => !withheldProportion(row));
    expect(cancer.funnel.target).toBeCloseTo((100 * sum(published.map((row) => row.numerator!))) / sum(published.map((row) => row.denominator!)), 10);
    const cells: Cell[] = body.cells.filter((cell: Cell) => cell.indicator === 'VA-CANCER62');
    expect(cells.map((cell) => cell.organisation).sort()).toEqual(rows.filter((row) => memberCodes.has(row.code)).map((row) => row.code).sort());
    const rza = cells.find((cell) => cell.organisation === 'RZA')!;
    const own = rows.find((row) => row.code === 'RZA')!;
    expect(rza).toMatchObject({ value: expect.closeTo((100 * own.numerator!) / own.denominator!, 10), band: 'below-99.8', judgement: 'worse' });
  });

  it('counts outliers (judgement not as expected) and values outside 95 % per indicator and per provider, consistently with the cells', async () => {
    const body = await getJson(app(), '/api/overview?network=KB-CC-ODN');
    const cells: Cell[] = body.cells;
    for (const indicator of body.indicators) {
      const own = cells.filter((cell) => cell.indicator === indicator.code);
      expect(indicator.counts).toEqual({
        judged: own.filter((cell) => cell.judgement !== null).length,
        outliers: own.filter((cell) => cell.judgement !== null && cell.judgement !== 'as-expected').length,
        outside95: own.filter((cell) => cell.band !== null && cell.band !== 'within').length,
      });
    }
    const total = (list: { counts: { outliers: number } }[]) => sum(list.map((entry) => entry.counts.outliers));
    expect(total(body.providers)).toBe(total(body.indicators));
    expect(body.providers.find((provider: { code: string }) => provider.code === 'RZB').counts.outliers).toBeGreaterThanOrEqual(1);
  });

  it('marks suppressed cells without figures, and keeps indicators without a funnel with values but no judgement', async () => {
    const body = await getJson(app(), '/api/overview?network=KB-CC-ODN');
    const rows = await rawObservations(database().db, 'VA-CC-READM48', { period: '2025/26 Q2' });
    const small = rows.filter((row) => withheldProportion(row)).map((row) => row.code);
    const suppressed = body.cells.filter((cell: Cell) => cell.indicator === 'VA-CC-READM48' && cell.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const cell of suppressed) {
      expect(small).toContain(cell.organisation);
      expect(cell).toMatchObject({ value: null, band: null, judgement: null });
    }
    const los = body.indicators.find((indicator: { code: string }) => indicator.code === 'VA-LOS');
    // A mean is judged as a value with its standard error; RZE's planted longer stays are "higher" (no polarity).
    expect(los.funnel).toMatchObject({ available: true, measure: 'normal' });
    expect(body.cells.find((cell: Cell) => cell.indicator === 'VA-LOS' && cell.organisation === 'RZE')).toMatchObject({ value: expect.any(Number), judgement: 'higher' });
  });

  it('takes a period label for every indicator, and follows dated membership (TZA joined the critical care ODN in 2024/25 Q2)', async () => {
    const early = await getJson(app(), '/api/overview?network=KB-CC-ODN&period=2024/25 Q1');
    expect(new Set(early.indicators.map((indicator: { period: { label: string } }) => indicator.period.label))).toEqual(new Set(['2024/25 Q1']));
    expect(early.providers.map((provider: { code: string }) => provider.code)).not.toContain('TZA');
    const later = await getJson(app(), '/api/overview?network=KB-CC-ODN&period=2024/25 Q2');
    expect(later.providers.map((provider: { code: string }) => provider.code)).toContain('TZA');
  });

  it('gives a PCN only the practice indicators', async () => {
    const body = await getJson(app(), '/api/overview?network=UZ004');
    expect(body.indicators.map((indicator: { code: string }) => indicator.code).sort()).toEqual(['VA-ACS-DSR', 'VA-CERVICAL', 'VA-DM-HBA1C']);
    expect(body.cells.find((cell: Cell) => cell.indicator === 'VA-CERVICAL' && cell.organisation === 'Z10123')).toMatchObject({ judgement: 'worse' });
  });

  it.each([
    ['/api/overview', 400, 'network', 'invalid_parameter'],
    ['/api/overview?network=NOPE', 404, 'network', 'not_found'],
    ['/api/overview?network=KB-CANCER&period=1999', 404, 'period', 'not_found'],
    ['/api/overview?network=KB-CANCER&trim=0.9', 400, 'trim', 'invalid_parameter'],
    ['/api/overview?network=KB-CANCER&suppression=-1', 400, 'suppression', 'invalid_parameter'],
  ])('%s answers %i naming %s', (path, status, parameter, code) => expectApiError(app(), path, status, parameter, code));
});
