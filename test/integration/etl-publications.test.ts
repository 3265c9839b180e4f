import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { indicatorFunnel } from '../../api/analysis/indicator-funnel';
import { queryRows } from '../../db';
import { loadObservations, type LoadResult } from '../../etl/load/load-observations';
import { loadIndicators } from '../../etl/load/load-reference';
import { previewObservations } from '../../etl/preview/preview-observations';
import { detectFormat, openObservationSource, type OpenSourceOptions } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { publicationIndicatorsCsv } from '../support/publication-indicators';
import { describeWithShared, readSharedCsv, sharedPath } from '../support/shared';

interface Totals {
  providers: number;
  within: number;
  total: number;
}

async function loadNationalIndicators(handle: TestDatabase): Promise<void> {
  const files = temporaryFolder();
  try {
    await loadIndicators(handle, files.write('indicators.csv', publicationIndicatorsCsv));
  } finally {
    files.remove();
  }
}

/** Loads one file as published, creating the trusts it names, with the national indicators in place. */
async function loadPublished(handle: TestDatabase, path: string, options: OpenSourceOptions = {}): Promise<LoadResult> {
  await loadNationalIndicators(handle);
  return loadObservations(handle, await openObservationSource(path, options), path, { createMissingOrganisations: true });
}

/** What the database holds per indicator and period: providers, Σ numerator, Σ denominator. */
async function loadedTotals(handle: TestDatabase, codes: string[]): Promise<Map<string, Totals>> {
  const rows = await queryRows<{ code: string; label: string; providers: string | number; within: number; total: number }>(
    handle.db,
    sql`select i.code, p.label, count(*) as providers, sum(o.numerator) as within, sum(o.denominator) as total
        from observations o join indicators i on i.id = o.indicator_id join periods p on p.id = o.period_id
        where i.code in (${sql.join(codes.map((code) => sql`${code}`), sql`, `)}) group by i.code, p.label`,
  );
  return new Map(rows.map((row) => [`${row.code} ${row.label}`, { providers: Number(row.providers), within: Number(row.within), total: Number(row.total) }]));
}

const add = (totals: Map<string, Totals>, key: string, within: number, total: number) => {
  const sum = totals.get(key) ?? { providers: 0, within: 0, total: 0 };
  totals.set(key, { providers: sum.providers + 1, within: sum.within + within, total: sum.total + total });
};

/** Real NHS England publications (../shared/data), read independently here with the test's own CSV reader. */
describeWithShared('ETL on NHS England publications', () => {
  describeDatabase('cancer waiting times and A&E attendances', (getDatabase) => {
    it('loads the January 2026 CWT extract: each standard\'s headline rows, halves kept exactly, the period from the file name', async () => {
      const handle = getDatabase();
      const result = await loadPublished(handle, sharedPath('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv'));

      const rows = readSharedCsv('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv');
      const indicatorOf: Record<string, string> = { FDS: 'CWT-FDS28', '31D': 'CWT-31D', '62D': 'CWT-62D' };
      const headline = (row: Record<string, string>) =>
        row['Cancer Type'] === 'ALL CANCERS' &&
        row['Referral Route/Stage'] === (row.Standard === '31D' ? 'ALL STAGES' : 'ALL ROUTES') &&
        row['Treatment Modality'] === (row.Standard === 'FDS' ? '' : 'ALL MODALITIES');
      const expected = new Map<string, Totals>();
      for (const row of rows) if (row['Org Code'] !== 'Total' && headline(row)) add(expected, `${indicatorOf[row.Standard]} 2026-01`, Number(row.Within), Number(row.Total));

      expect(await loadedTotals(handle, Object.values(indicatorOf))).toEqual(expected);
      // 62-day counts hold halves (shared treatments): each provider's kept as published, none rounded.
      const halves = rows.filter((row) => row['Org Code'] !== 'Total' && row.Standard === '62D' && headline(row) && (Number(row.Within) % 1 !== 0 || Number(row.Total) % 1 !== 0));
      const storedHalves = await queryRows<{ code: string; within: number; total: number }>(
        handle.db,
        sql`select g.code, o.numerator as within, o.denominator as total from observations o join organisations g on g.id = o.organisation_id
            join indicators i on i.id = o.indicator_id join periods p on p.id = o.period_id
            where i.code = 'CWT-62D' and p.label = '2026-01' and (o.numerator <> floor(o.numerator) or o.denominator <> floor(o.denominator))`,
      );
      storedHalves.sort((a, b) => a.code.localeCompare(b.code));
      expect(halves.length).toBeGreaterThan(50);
      expect(storedHalves).toEqual(halves.map((row) => ({ code: row['Org Code'], within: Number(row.Within), total: Number(row.Total) })).sort((a, b) => a.code.localeCompare(b.code)));
      const englandRows = rows.filter((row) => row['Org Code'] === 'Total').length;
      expect(result).toMatchObject({ status: 'loaded', rows: [...expected.values()].reduce((sum, totals) => sum + totals.providers, 0), rejectedRows: 0, skippedRows: rows.length - result.rows });
      expect(result.passedOver).toContainEqual({ reason: "England's Total row", rows: englandRows });
      expect(result.passedOver.reduce((sum, reason) => sum + reason.rows, 0)).toBe(result.skippedRows);
      expect(result.filters).toContain('period 2026-01, from the file name');
      const [period] = await queryRows<{ start_date: string; end_date: string; granularity: string }>(handle.db, sql`select start_date::text, end_date::text, granularity from periods where label = '2026-01'`);
      expect(period).toEqual({ start_date: '2026-01-01', end_date: '2026-01-31', granularity: 'month' });
    });

    // No FunnelPlotR oracle covers cancer waiting times (../shared/oracles has medpar and small6 only), so the
    // 62-day funnel is checked against the file: its target is the national pooled Σ Within / Σ Total of providers.
    it('draws the January 2026 62-day funnel over every provider, centred on the pooled proportion from the file', async () => {
      const handle = getDatabase();
      await loadPublished(handle, sharedPath('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv'));
      const headline = readSharedCsv('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv').filter(
        (row) => row['Org Code'] !== 'Total' && row.Standard === '62D' && row['Cancer Type'] === 'ALL CANCERS' && row['Referral Route/Stage'] === 'ALL ROUTES' && row['Treatment Modality'] === 'ALL MODALITIES',
      );
      const stored = await queryRows<{ code: string; numerator: number; denominator: number }>(
        handle.db,
        sql`select g.code, o.numerator, o.denominator from observations o join organisations g on g.id = o.organisation_id
            join indicators i on i.id = o.indicator_id join periods p on p.id = o.period_id where i.code = 'CWT-62D' and p.label = '2026-01'`,
      );
      const funnel = indicatorFunnel(
        { code: 'CWT-62D', name: '62-day', measureKind: 'proportion', polarity: 'higher_is_better', multiplier: 1, unit: '%', target: null },
        stored.map((row) => ({ organisationCode: row.code, organisationName: row.code, suppressed: false, numerator: row.numerator, denominator: row.denominator, observed: null, expected: null, value: null, valueLower: null, valueUpper: null })),
        { convention: 'spiegelhalter', adjustment: 'none', trimFraction: 0 },
      );
      const pooled = headline.reduce((sum, row) => sum + Number(row.Within), 0) / headline.reduce((sum, row) => sum + Number(row.Total), 0);
      expect(funnel.providers).toHaveLength(headline.length);
      expect(funnel.excluded).toEqual([]);
      expect(funnel.target).toBeCloseTo(pooled, 12);
    });

    it.each([
      ['cwt_2025-04_provider_62day_all.csv', 'CWT-62D', 'REFERRAL ROUTE', 'ALL ROUTES', 'WITHIN 62 DAYS'],
      ['cwt_2025-04_provider_31day_all.csv', 'CWT-31D', 'TREATMENT STAGE', 'ALL STAGES', 'WITHIN 31 DAYS'],
      ['cwt_2025-04_provider_fds28_all.csv', 'CWT-FDS28', 'REFERRAL ROUTE', 'ALL ROUTES', 'WITHIN 28 DAYS'],
    ])('loads the April 2025 per-standard file %s as %s', async (name, code, routeColumn, allRoutes, withinColumn) => {
      const handle = getDatabase();
      const result = await loadPublished(handle, sharedPath('data', 'cancer_waiting_times', name));
      const rows = readSharedCsv('data', 'cancer_waiting_times', name);
      const expected = new Map<string, Totals>();
      for (const row of rows) {
        if ((row['CANCER TYPE'] ?? 'ALL CANCERS') === 'ALL CANCERS' && row[routeColumn] === allRoutes) add(expected, `${code} 2025-04`, Number(row[withinColumn]), Number(row.TOTAL));
      }
      expect(await loadedTotals(handle, [code]).then((totals) => totals.get(`${code} 2025-04`))).toEqual(expected.get(`${code} 2025-04`));
      expect(result).toMatchObject({ status: 'loaded', rows: expected.get(`${code} 2025-04`)!.providers, skippedRows: rows.length - result.rows });
    });

    it('loads the A&E attendances: AE-4H over all types and AE-4H-T1 over type 1, each month from its first-of-month date', async () => {
      const handle = getDatabase();
      const result = await loadPublished(handle, sharedPath('data', 'ae_attendances', 'ae_attendances.csv'));
      const rows = readSharedCsv('data', 'ae_attendances', 'ae_attendances.csv');

      const expected = new Map<string, Totals>();
      const allTypes = new Map<string, { within: number; total: number }>();
      for (const row of rows) {
        const month = row.period.slice(0, 7);
        const [attendances, breaches] = [Number(row.attendances), Number(row.breaches)];
        if (row.type === '1' && attendances > 0) add(expected, `AE-4H-T1 ${month}`, attendances - breaches, attendances);
        const key = `${month}|${row.org_code}`;
        const sum = allTypes.get(key) ?? { within: 0, total: 0 };
        allTypes.set(key, { within: sum.within + attendances - breaches, total: sum.total + attendances });
      }
      for (const [key, sum] of allTypes) if (sum.total > 0) add(expected, `AE-4H ${key.slice(0, 7)}`, sum.within, sum.total);

      const loaded = await loadedTotals(handle, ['AE-4H', 'AE-4H-T1']);
      expect(loaded.size).toBe(72);
      expect(loaded).toEqual(expected);
      expect(result).toMatchObject({ status: 'loaded', rows: [...expected.values()].reduce((sum, totals) => sum + totals.providers, 0), rejectedRows: 0 });

      // NHSRplotthedots' oracles were computed from the same publication: England's attendances in April 2016, and
      // RJZ's type 1 four-hour performance every month (1 − breaches / attendances).
      const [england] = readSharedCsv('oracles', 'NHSRplotthedots', 'ae_total_attendances_rebase_2017_2018_expected.csv');
      expect(england.x).toBe('2016-04-01');
      expect(loaded.get('AE-4H 2016-04')!.total).toBe(Number(england.y));
      const rjz = await queryRows<{ label: string; numerator: number; denominator: number }>(
        handle.db,
        sql`select p.label, o.numerator, o.denominator from observations o join organisations g on g.id = o.organisation_id
            join indicators i on i.id = o.indicator_id join periods p on p.id = o.period_id where i.code = 'AE-4H-T1' and g.code = 'RJZ'`,
      );
      const oracle = readSharedCsv('oracles', 'NHSRplotthedots', 'ae_RJZ_type1_4hr_performance_target95_expected.csv');
      expect(rjz).toHaveLength(oracle.length);
      for (const point of oracle) {
        const mine = rjz.find((row) => row.label === point.x.slice(0, 7))!;
        expect(mine.numerator / mine.denominator).toBeCloseTo(Number(point.y), 12);
      }
    });

    it('states the filters and the rows passed over by reason in the upload preview too', async () => {
      const handle = getDatabase();
      await loadNationalIndicators(handle);
      const path = sharedPath('data', 'cancer_waiting_times', 'cwt_2025-04_provider_31day_all.csv');
      const rows = readSharedCsv('data', 'cancer_waiting_times', 'cwt_2025-04_provider_31day_all.csv');
      const preview = await previewObservations(handle, await openObservationSource(path), path, { createMissingOrganisations: true });
      expect(preview.filters).toEqual(expect.arrayContaining(['cancer type: ALL CANCERS', 'route or stage: ALL STAGES (31D)', 'period 2025-04, from the file name']));
      expect(preview.passedOver).toEqual([{ reason: 'a single referral route or treatment stage (not ALL STAGES)', rows: rows.filter((row) => row['TREATMENT STAGE'] !== 'ALL STAGES').length }]);
      expect(preview.skippedRows + preview.rows).toBe(rows.length);
    });

    it('detects each publication from its header and refuses the system-level CWT file, which is not by provider', async () => {
      const cwt = (name: string) => sharedPath('data', 'cancer_waiting_times', name);
      for (const name of ['cwt_2026-01_provider_level.csv', 'cwt_2025-04_provider_62day_all.csv', 'cwt_2025-04_provider_31day_all.csv', 'cwt_2025-04_provider_fds28_all.csv']) {
        expect(await detectFormat(cwt(name)), name).toBe('cwt');
      }
      expect(await detectFormat(sharedPath('data', 'ae_attendances', 'ae_attendances.csv'))).toBe('ae');
      await expect(openObservationSource(cwt('cwt_2026-01_system_level.csv'), { format: 'cwt' })).rejects.toMatchObject({
        problems: [{ file: 'cwt_2026-01_system_level.csv', row: 0, reason: 'a system-level extract (ICBs and commissioning hubs), not providers; load the provider-level file' }],
      });
    });

    it('takes the CWT period from --period when the file name has none, and refuses the file with neither', async () => {
      const files = temporaryFolder();
      try {
        const path = files.write('provider_level.csv', readFileSync(sharedPath('data', 'cancer_waiting_times', 'cwt_2025-04_provider_fds28_all.csv')));
        await expect(openObservationSource(path)).rejects.toMatchObject({
          problems: [{ row: 0, reason: 'a cancer waiting times extract has no period column; give --period (e.g. 2026-01) or name the file cwt_YYYY-MM_…' }],
        });
        const source = await openObservationSource(path, { period: 'April 2025' });
        expect(source.filters).toContain('period 2025-04, from --period');
        const rows = [];
        for await (const row of source.rows()) rows.push(row);
        expect(rows[0]).toMatchObject({ row: 2, indicator: 'CWT-FDS28', organisation: 'RCF', period: '2025-04', measures: { numerator: '642', denominator: '781' } });
      } finally {
        files.remove();
      }
    });

    it('refuses a mis-shaped CWT extract naming the row and column, and loads nothing', async () => {
      const handle = getDatabase();
      const lines = readFileSync(sharedPath('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv'), 'utf8').split('\n');
      // The first provider's 62-day headline row (the file's row numbers count the header as row 1).
      const index = lines.findIndex((line) => line.includes('"62D","ALL CANCERS","ALL ROUTES","ALL MODALITIES"') && !line.startsWith('"Total"'));
      const files = temporaryFolder();
      const refusal = async (name: string, text: string) => {
        const path = files.write(name, text);
        const before = await loadedTotals(handle, ['CWT-62D']);
        const error = await loadPublished(handle, path).then(() => undefined, (thrown: unknown) => thrown);
        expect(await loadedTotals(handle, ['CWT-62D'])).toEqual(before);
        return error;
      };
      try {
        await expect(refusal('cwt_2026-01_renamed.csv', [lines[0].replace('"Within"', '"Witihn"'), ...lines.slice(1)].join('\n'))).resolves.toMatchObject({
          problems: [{ row: 1, column: 'Within', reason: 'the required column "Within" is missing; is "Witihn" a misspelling of it?' }],
        });
        const blank = [...lines];
        blank[index] = blank[index].replace(/^"[^"]*"/, '""');
        await expect(refusal('cwt_2026-01_blank.csv', blank.join('\n'))).resolves.toMatchObject({
          problems: [{ row: index + 1, column: 'Org Code', value: '', reason: 'the organisation code is empty' }],
        });
        const quarter = [...lines];
        const cells = quarter[index].split(',');
        cells[8] = '"12.25"';
        quarter[index] = cells.join(',');
        await expect(refusal('cwt_2026-01_quarter.csv', quarter.join('\n'))).resolves.toMatchObject({
          problems: [{ row: index + 1, column: 'Within', value: '12.25', reason: 'a count must be a whole number or a half (digits, optionally .5: a treatment shared by two providers counts half to each)' }],
        });
      } finally {
        files.remove();
      }
    });

    it('refuses a mis-shaped A&E file naming each row and column, and passes over rows with no attendances', async () => {
      const handle = getDatabase();
      const files = temporaryFolder();
      const header = '"period","org_code","type","attendances","breaches","admissions"';
      const attempt = (name: string, ...lines: string[]) => loadPublished(handle, files.write(name, lines.join('\n'))).then((result) => result, (thrown: unknown) => thrown);
      try {
        await expect(attempt('ae_renamed.csv', header.replace('"breaches"', '"breach"'), '"2019-03-01","RF4","1",100,10,5')).resolves.toMatchObject({
          problems: [{ row: 1, column: 'breaches', reason: 'the required column "breaches" is missing; is "breach" a misspelling of it?' }],
        });
        await expect(attempt('ae_bad.csv', header, '"2019-03-01","RF4","1",100,10,5', '"2019-03-01","","1",100,10,5', '"2019-03-15","RF4","2",10,1,0', '"2019-03-01","RF4","other",5,6,0')).resolves.toMatchObject({
          problems: [
            { row: 3, column: 'org_code', value: '', reason: 'the organisation code is empty' },
            { row: 4, column: 'period', value: '2019-03-15', reason: expect.stringMatching(/^in a monthly file a date stands for its month only as the first of the month \(e\.g\. 2019-03-01 for 2019-03\)/) },
            { row: 5, column: 'breaches', value: '6', reason: 'the breaches are more than the attendances (5)' },
          ],
        });
        const result = await attempt('ae_zero.csv', header, '"2015-03-01","RZZ","1",100,10,5', '"2015-03-01","RZZ","2",0,0,0', '"2015-03-01","RZZ","other",50,0,0');
        expect(result).toMatchObject({ status: 'loaded', rows: 2, skippedRows: 1, passedOver: [{ reason: 'no attendances (0)', rows: 1 }] });
        expect(await loadedTotals(handle, ['AE-4H', 'AE-4H-T1']).then((totals) => [totals.get('AE-4H 2015-03'), totals.get('AE-4H-T1 2015-03')])).toEqual([
          { providers: 1, within: 140, total: 150 },
          { providers: 1, within: 90, total: 100 },
        ]);
      } finally {
        files.remove();
      }
    });
  });
});
