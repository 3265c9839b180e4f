import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { europeanStandardPopulation2013, standardisedRatioInterval } from '../../api/stats/intervals';
import { schema } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { previewObservations } from '../../etl/preview/preview-observations';
import { LoadRejectedError } from '../../etl/problems';
import { detectFormat, openObservationSource } from '../../etl/sources/open-source';
import { describeDatabase, type TestDatabase } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { describeWithShared, readSharedCsv, sharedAvailable } from '../support/shared';

/**
 * PHEindicatormethods' own age-band inputs (testdata_multiarea, _multiarea_isr) loaded through the age-band
 * format, and the stored DSRs, limits, observed and expected counts compared with its published results
 * (testresults_DSR, testresults_ISR). The numbers come from R, not from this code: a wrong weight, a band
 * matched to the wrong ESP2013 row or a Dobson slip shows here.
 */
const read = (file: string) => (sharedAvailable ? readSharedCsv('oracles', 'PHEindicatormethods', 'xlsx_converted', file) : []);
/** The oracle's areas as the fixture's trusts. */
const trustOf: Record<string, string> = { testdata_big: 'RZA', testdata_small: 'RZB', testdata_tiny: 'RZC' };

/**
 * PHE's fixture in this format's terms. An empty cell is R's NA, which PHE's functions count as zero; the format
 * wants every figure written, so it becomes 0. PHE matches the standard population to bands by row order, so the
 * fixture's typo "55-69" (12th of 19, between 50-54 and 60-64) never mattered there: bands are named by position.
 */
const asAgeBands = (rows: Record<string, string>[]): Record<string, string>[] =>
  rows.map((row, index) => ({ ...row, ageband: europeanStandardPopulation2013[index % 19].ageBand, count: row.count || '0', pop: row.pop || '0', refcount: row.refcount || '0' }));

/** Within half a unit of the oracle's last printed digit, or 1e-9 relative where it prints more than doubles keep. */
function expectPrinted(actual: number | null, printed: string, what: string) {
  const fraction = printed.split('.')[1] ?? '';
  const tolerance = Math.max(0.5 * 10 ** -fraction.length, 1e-9 * Math.abs(Number(printed)));
  expect(actual, what).not.toBeNull();
  expect(Math.abs(actual! - Number(printed)), `${what}: ${actual} vs ${printed}`).toBeLessThanOrEqual(tolerance);
}

describeWithShared('age-band observations against PHEindicatormethods', () => {
  describeDatabase('age-band format', (getDatabase) => {
    const files = temporaryFolder();
    afterAll(() => files.remove());
    let handle: TestDatabase;

    async function load(name: string, content: string) {
      const path = files.write(name, content);
      return loadObservations(handle, await openObservationSource(path), path);
    }
    async function refusal(name: string, content: string) {
      const path = files.write(name, content);
      const error = await openObservationSource(path).then((source) => loadObservations(handle, source, path)).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LoadRejectedError);
      return (error as LoadRejectedError).problems;
    }
    async function stored(indicator: string, period = '2024') {
      return handle.db
        .select({
          organisation: schema.organisations.code,
          observed: schema.observations.observed,
          expected: schema.observations.expected,
          value: schema.observations.value,
          valueLower: schema.observations.valueLower,
          valueUpper: schema.observations.valueUpper,
        })
        .from(schema.observations)
        .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
        .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
        .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
        .where(and(eq(schema.indicators.code, indicator), eq(schema.periods.label, period)))
        .orderBy(asc(schema.organisations.code));
    }
    const dsrRows = (areas: string[]) =>
      asAgeBands(read('testdata_DSR_ISR__testdata_multiarea.csv'))
        .filter((row) => areas.includes(row.area))
        .map((row) => `90360,${trustOf[row.area]},2024,${row.ageband},${row.count},${row.pop}`);
    const dsrHeader = 'indicator_code,organisation_code,period,age_band,events,population';

    beforeAll(async () => {
      handle = getDatabase();
      await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
      await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
    });

    it('stores each area’s DSR per 100 000 and Dobson’s 95 % limits as PHE publishes them (ESP2013)', async () => {
      const path = files.write('dsr.csv', [dsrHeader, ...dsrRows(['testdata_big', 'testdata_small'])].join('\n'));
      expect(await detectFormat(path)).toBe('age-bands');
      const result = await loadObservations(handle, await openObservationSource(path), path);
      expect(result).toMatchObject({ status: 'loaded', rows: 2 });
      expect(result.filters.join('\n')).toMatch(/Dobson’s 95 % interval, ESP2013 weights/);
      const rows = await stored('90360');
      const published = read('testdata_DSR_ISR__testresults_DSR.csv').filter((row) => row.statistic === 'dsr per 100000' && row.area in trustOf && row.value !== '');
      expect(published).toHaveLength(2);
      for (const expected of published) {
        const row = rows.find((candidate) => candidate.organisation === trustOf[expected.area])!;
        expectPrinted(row.value, expected.value, `${expected.area} value`);
        expectPrinted(row.valueLower, expected.lower95_0cl, `${expected.area} lower`);
        expectPrinted(row.valueUpper, expected.upper95_0cl, `${expected.area} upper`);
      }
    });

    it('weights by the file’s standard_population when given, per --multiplier (ESP1976, per 10 000)', async () => {
      // Its own labels (85+, the typo 55-69) stand: with a standard_population column no band is looked up.
      const lines = read('testdata_DSR_ISR__testdata_1976.csv').map((row) => `90360,RZA,2023,${row['Age Band']},${row.count},${row.pop},${row.esp1976}`);
      const path = files.write('dsr-1976.csv', [`${dsrHeader},standard_population`, ...lines].join('\n'));
      const result = await loadObservations(handle, await openObservationSource(path, { multiplier: 10_000 }), path);
      expect(result.filters.join('\n')).toMatch(/per 10,000, Dobson’s 95 % interval, the file’s standard_population/);
      const [row] = (await stored('90360', '2023'));
      const [expected] = read('testdata_DSR_ISR__testresults_DSR.csv').filter((candidate) => candidate.area === 'testdata_1976' && candidate.statistic === 'dsr per 10000');
      // Only the 95 % limits: the oracle's 99.8 % ones for this row are × 10 (see the oracles' README).
      expectPrinted(row.value, expected.value, '1976 value');
      expectPrinted(row.valueLower, expected.lower95_0cl, '1976 lower');
      expectPrinted(row.valueUpper, expected.upper95_0cl, '1976 upper');
    });

    it('refuses a DSR whose ESP2013 bands are incomplete for one sex, naming that sex', async () => {
      const both = dsrRows(['testdata_big']).flatMap((line) => [`${line},F`, `${line},M`]);
      const lines = both.filter((line) => !(line.includes(',90+,') && line.endsWith(',M')));
      expect(lines).toHaveLength(37);
      expect(await refusal('dsr-sex.csv', [`${dsrHeader},sex`, ...lines].join('\n'))).toEqual([
        expect.objectContaining({ row: 2, column: 'age_band', reason: expect.stringMatching(/lacks the ESP2013 age bands 90\+ \(M\)/) }),
      ]);
    });

    it('previews as an upload does: one row per group, the method stated, nothing loaded', async () => {
      const path = files.write('dsr-preview.csv', [dsrHeader, ...dsrRows(['testdata_big', 'testdata_small']).map((line) => line.replace(',2024,', ',2022,'))].join('\n'));
      const preview = await previewObservations(handle, await openObservationSource(path), path);
      expect(preview).toMatchObject({ format: 'age-bands-csv', rows: 2, validRows: 2, problemCount: 0, totals: { new: 2 } });
      expect(preview.filters).toContain('a DSR with fewer than 10 events in total is passed over: PHE does not calculate one');
      expect(await stored('90360', '2022')).toEqual([]);
    });

    it('refuses age bands whose method is not the indicator’s measure kind, naming the indicator column', async () => {
      const lines = dsrRows(['testdata_big']).map((line) => line.replace('90360,', 'SHMI,'));
      expect(await refusal('dsr-for-ratio.csv', [dsrHeader, ...lines].join('\n'))).toEqual([
        expect.objectContaining({ row: 2, column: 'indicator_code', value: 'SHMI', reason: "the indicator's measure kind is indirectly standardised ratio, but the file's columns give directly standardised rate" }),
      ]);
    });

    it('passes over a DSR of fewer than 10 events, as PHE leaves it uncalculated, and loads the others beside it', async () => {
      const path = files.write('dsr-tiny.csv', [dsrHeader, ...dsrRows(['testdata_tiny', 'testdata_small']).map((line) => line.replace(',2024,', ',2021,'))].join('\n'));
      const result = await loadObservations(handle, await openObservationSource(path), path);
      expect(result).toMatchObject({ status: 'loaded', rows: 1 });
      expect(result.passedOver).toEqual([{ reason: 'a DSR of fewer than 10 events in total (PHE does not calculate one)', rows: 1 }]);
      expect((await stored('90360', '2021')).map((row) => row.organisation)).toEqual(['RZB']);
    });

    it('stores a ratio’s observed and Σ reference rate × population as expected, matching PHE’s counts, ratio and limits', async () => {
      const lines = asAgeBands(read('testdata_DSR_ISR__testdata_multiarea_isr.csv')).map(
        (row) => `SHMI,${trustOf[row.area]},2024,${row.ageband},${row.count},${row.pop},${row.refcount},${row.refpop}`,
      );
      const result = await load('isr.csv', ['indicator_code,organisation_code,period,age_band,events,population,reference_events,reference_population', ...lines].join('\n'));
      expect(result).toMatchObject({ status: 'loaded', rows: 3 });
      // The same reference as a rate per person loads the same expected counts (another period).
      const rated = asAgeBands(read('testdata_DSR_ISR__testdata_multiarea_isr.csv')).map(
        (row) => `SHMI,${trustOf[row.area]},2025,${row.ageband},${row.count},${row.pop},${Number(row.refcount) / Number(row.refpop)}`,
      );
      await load('isr-rate.csv', ['indicator_code,organisation_code,period,age_band,events,population,reference_rate', ...rated].join('\n'));
      const viaRate = await stored('SHMI', '2025');
      const rows = await stored('SHMI');
      expect(viaRate.map((row) => row.expected! / rows.find((other) => other.organisation === row.organisation)!.expected!)).toEqual([
        expect.closeTo(1, 12), expect.closeTo(1, 12), expect.closeTo(1, 12),
      ]);
      const published = read('testdata_DSR_ISR__testresults_ISR.csv').filter((row) => row.statistic === 'indirectly standardised ratio x 1');
      expect(published).toHaveLength(3);
      for (const expected of published) {
        const row = rows.find((candidate) => candidate.organisation === trustOf[expected.area])!;
        expect(row.observed).toBe(Number(expected.observed));
        expectPrinted(row.expected, expected.expected, `${expected.area} expected`);
        // The ratio's interval is the product's own, from what was stored: Byar's from 10 events, exact below.
        const ratio = standardisedRatioInterval(row.observed!, row.expected!);
        expectPrinted(ratio.estimate, expected.value, `${expected.area} ratio`);
        expectPrinted(ratio.lower, expected.lower95_0cl, `${expected.area} ratio lower`);
        expectPrinted(ratio.upper, expected.upper95_0cl, `${expected.area} ratio upper`);
        expect(ratio.method).toBe(expected.method === 'Exact' ? 'exact' : 'byar');
      }
    });

    it('refuses a band without its population, a negative count and an unknown column, naming row and column, and loads nothing', async () => {
      const good = dsrRows(['testdata_big']);
      const [, organisation, period, band, events] = good[3].split(',');
      const broken = [dsrHeader, ...good.slice(0, 3), `90360,${organisation},${period},${band},${events},`, `90360,RZA,2024,${good[4].split(',')[3]},-3,10`, ...good.slice(5)];
      const before = await stored('90360');
      expect(await refusal('broken.csv', broken.join('\n'))).toEqual([
        expect.objectContaining({ row: 5, column: 'population', reason: 'the population is missing' }),
        expect.objectContaining({ row: 6, column: 'events', value: '-3', reason: 'the events count is negative' }),
      ]);
      expect(await refusal('misspelt.csv', [`${dsrHeader.replace('population', 'populaton')},population`, ...good.map((line) => `${line},1`)].join('\n'))).toEqual([
        expect.objectContaining({ row: 1, column: 'populaton', reason: 'unknown column; did you mean "population"?' }),
      ]);
      expect(await refusal('missing-band.csv', [dsrHeader, ...good.filter((line) => !line.includes(',85-89,'))].join('\n'))).toEqual([
        expect.objectContaining({ row: 2, column: 'age_band', reason: expect.stringMatching(/lacks the ESP2013 age bands 85-89/) }),
      ]);
      expect(await stored('90360')).toEqual(before);
    });
  });
});
