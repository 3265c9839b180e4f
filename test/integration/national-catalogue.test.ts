import { writeFile } from 'node:fs/promises';
import { asc, inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { schema } from '../../db';
import { indicatorFunnel } from '../../api/analysis/indicator-funnel';
import type { ProviderObservation } from '../../api/analysis/types';
import { findIndicator } from '../../api/queries/catalogue.queries';
import { funnelOptions } from '../../api/routes/funnel-views';
import { loadCatalogue, nationalCatalogue } from '../../etl/load/load-catalogue';
import { loadIndicators } from '../../etl/load/load-reference';
import { LoadRejectedError } from '../../etl/problems';
import { describeDatabase, type TestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { describeWithShared, readSharedCsv } from '../support/shared';

/** Every stored row of the two tables the catalogue writes, ids included, so a reload that rewrote anything shows. */
async function catalogueState({ db }: TestDatabase) {
  return {
    indicators: await db.select().from(schema.indicators).orderBy(asc(schema.indicators.id)),
    targets: await db.select().from(schema.indicatorTargets).orderBy(asc(schema.indicatorTargets.id)),
  };
}

/**
 * FunnelPlotR 0.6.0's proportion funnel (data_type "PR") restated from its documented steps, independently of
 * the product: arcsine-square-root scale, target the pooled proportion, z winsorised at R's type-7 10th and 90th
 * percentiles, φ their mean square, DerSimonian–Laird τ², limits sin²(θ ± z·√(s² + τ²)) with FunnelPlotR's
 * rounded z, the lower one 0 below the scale's origin. Past π/2 on the arcsine scale FunnelPlotR's upper limit
 * is sometimes folded back below 1 and sometimes 1, where the product caps it at 1: providers whose limit passes
 * π/2 (`folded`, single patients in medpar) are left out of the comparison. Checked below against FunnelPlotR's
 * own medpar output before it is trusted on CWT data.
 */
function funnelPlotRProportion(units: { id: string; numerator: number; denominator: number }[]) {
  const theta = Math.asin(Math.sqrt(units.reduce((a, u) => a + u.numerator, 0) / units.reduce((a, u) => a + u.denominator, 0)));
  const s = (n: number) => 1 / (2 * Math.sqrt(n));
  const z = units.map((u) => (Math.asin(Math.sqrt(u.numerator / u.denominator)) - theta) / s(u.denominator));
  const sorted = [...z].sort((a, b) => a - b);
  const quantile = (p: number) => {
    const h = (sorted.length - 1) * p;
    return sorted[Math.floor(h)] + (h - Math.floor(h)) * (sorted[Math.ceil(h)] - sorted[Math.floor(h)]);
  };
  const [low, high] = [quantile(0.1), quantile(0.9)];
  const phi = z.reduce((a, value) => a + Math.min(high, Math.max(low, value)) ** 2, 0) / units.length;
  const w = units.map((u) => 1 / s(u.denominator) ** 2);
  const sw = w.reduce((a, b) => a + b, 0);
  const tau2 = Math.max(0, (units.length * phi - (units.length - 1)) / (sw - w.reduce((a, b) => a + b * b, 0) / sw));
  const limits = (n: number, coverage: 95 | 99.8) => {
    const spread = (coverage === 95 ? 1.959964 : 3.090232) * Math.sqrt(s(n) ** 2 + tau2);
    return { lower: theta - spread < 0 ? 0 : Math.sin(theta - spread) ** 2, upper: Math.sin(theta + spread) ** 2, folded: theta + spread > Math.PI / 2 };
  };
  const outside = (coverage: 95 | 99.8) =>
    new Set(units.filter((u) => {
      const { lower, upper, folded } = limits(u.denominator, coverage);
      return !folded && (u.numerator / u.denominator < lower || u.numerator / u.denominator > upper);
    }).map((u) => u.id));
  const folded = (coverage: 95 | 99.8) => new Set(units.filter((u) => limits(u.denominator, coverage).folded).map((u) => u.id));
  return { phi, tau2, limits, outside, folded };
}

const asRows = (units: { id: string; numerator: number; denominator: number }[]): ProviderObservation[] =>
  units.map((u) => ({ organisationCode: u.id, organisationName: u.id, numerator: u.numerator, denominator: u.denominator, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false }));

const beyond = (providers: { code: string; band: string | null }[], coverage: 95 | 99.8, leaving = new Set<string>()) =>
  new Set(providers.filter((p) => !leaving.has(p.code) && (coverage === 95 ? p.band !== 'within' : p.band === 'above-99.8' || p.band === 'below-99.8')).map((p) => p.code));
const without = (ids: Set<string>, leaving: Set<string>) => new Set([...ids].filter((id) => !leaving.has(id)));

describeDatabase('national indicator catalogue', (database) => {
  it('loads the six indicators with their conventions and targets, and loading it again changes nothing', async () => {
    expect(await loadCatalogue(database(), nationalCatalogue)).toEqual({ indicators: 6, targets: 11 });
    const first = await catalogueState(database());
    expect(Object.fromEntries(first.indicators.map((i) => [i.code, [i.measureKind, i.defaultConvention]]))).toEqual({
      'CWT-62D': ['proportion', 'cqc'],
      'CWT-31D': ['proportion', 'cqc'],
      'CWT-FDS28': ['proportion', 'cqc'],
      'AE-4H': ['proportion', 'cqc'],
      'AE-4H-T1': ['proportion', 'cqc'],
      SHMI: ['indirectly_standardised_ratio', 'shmi'],
    });
    await loadCatalogue(database(), nationalCatalogue);
    expect(await catalogueState(database())).toEqual(first);
  });

  it('refuses a catalogue whose targets of one kind overlap, or name an indicator it lacks, and loads nothing of it', async () => {
    const before = await catalogueState(database());
    const folder = temporaryFolder();
    const indicator = { code: 'X-1', name: 'X', domain: 'D', measure_kind: 'proportion', polarity: 'higher_is_better', unit: '%', default_convention: 'cqc' };
    const target = { indicator_code: 'X-1', kind: 'operational', value: 80, source: 'S' };
    const path = folder.write('bad.json', JSON.stringify({
      indicators: [indicator],
      targets: [{ ...target, valid_from: '2024-04-01', valid_to: '2025-04-01' }, { ...target, valid_from: '2025-01-01', valid_to: null }, { ...target, indicator_code: 'X-2', valid_from: '2024-04-01' }],
    }));
    const refusal = await loadCatalogue(database(), path).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(LoadRejectedError);
    expect((refusal as LoadRejectedError).problems.map((p) => [p.row, p.column, p.reason])).toEqual([
      [3, 'indicator_code', 'not an indicator of this catalogue'],
    ]);
    await writeFile(path, JSON.stringify({ indicators: [indicator], targets: [{ ...target, valid_from: '2024-04-01', valid_to: '2025-04-01' }, { ...target, valid_from: '2025-01-01', valid_to: null }] }));
    const overlap = await loadCatalogue(database(), path).catch((error: unknown) => error);
    expect((overlap as LoadRejectedError).problems.map((p) => [p.row, p.reason])).toEqual([[2, 'overlaps the operational target of row 1']]);
    await writeFile(path, JSON.stringify({ indicators: [{ ...indicator, default_convention: 'funnelplotr' }], targets: [] }));
    const convention = await loadCatalogue(database(), path).catch((error: unknown) => error);
    expect((convention as LoadRejectedError).problems.map((p) => [p.column, p.reason])).toEqual([['default_convention', 'must be one of spiegelhalter, cqc, shmi']]);
    expect(await catalogueState(database())).toEqual(before);
    folder.remove();
  });

  it('takes default_convention as an optional column of indicators.csv', async () => {
    const folder = temporaryFolder();
    const path = folder.write('indicators.csv', 'code,name,domain,measure_kind,polarity,unit,default_convention\nX-SHMI,X,Mortality,indirectly_standardised_ratio,lower_is_better,ratio,shmi\nX-NONE,Y,Mortality,proportion,lower_is_better,%,\n');
    await loadIndicators(database(), path);
    const stored = await database().db.select().from(schema.indicators).where(inArray(schema.indicators.code, ['X-SHMI', 'X-NONE']));
    expect(Object.fromEntries(stored.map((i) => [i.code, i.defaultConvention]))).toEqual({ 'X-SHMI': 'shmi', 'X-NONE': null });
    const indicator = stored.find((i) => i.code === 'X-NONE')!;
    expect(funnelOptions({ trim: 0.1 }, indicator)).toMatchObject({ convention: 'spiegelhalter', conventionSource: 'product_default' });
    folder.remove();
  });

  describeWithShared('the CWT 62-day funnel with the indicator’s default convention against FunnelPlotR', () => {
    const medpar = () => readSharedCsv('oracles', 'FunnelPlotR', 'medpar_by_provider_input.csv').map((r) => ({ id: r.provnum, numerator: Number(r.died), denominator: Number(r.n_patients) }));

    it('the restatement of FunnelPlotR’s proportion funnel reproduces FunnelPlotR’s own output (medpar deaths, 95 % and 99.8 %)', () => {
      const restated = funnelPlotRProportion(medpar());
      const summary = readSharedCsv('oracles', 'FunnelPlotR', 'summary_phi_tau2_outliers.csv');
      for (const [file, coverage] of [['medpar_PR_died_limit95_both', 95], ['medpar_PR_died_limit99', 99.8]] as const) {
        const want = summary.find((row) => row.case_id === file)!;
        expect(restated.phi).toBeCloseTo(Number(want.phi), 12);
        expect(restated.tau2).toBeCloseTo(Number(want.tau2), 12);
        const rows = readSharedCsv('oracles', 'FunnelPlotR', `${file}_expected.csv`);
        expect(rows.filter((row) => row.outlier === '1')).toHaveLength(Number(want.n_outliers));
        const folded = restated.folded(coverage);
        expect(rows.filter((row) => folded.has(row.group)).every((row) => Number(row.denominator) <= 2)).toBe(true);
        expect(restated.outside(coverage)).toEqual(new Set(rows.filter((row) => row.outlier === '1' && !folded.has(row.group)).map((row) => row.group)));
        for (const row of rows.filter((one) => !folded.has(one.group))) {
          const limits = restated.limits(Number(row.denominator), coverage);
          const [lower, upper] = coverage === 95 ? [row.OD95LCL, row.OD95UCL] : [row.OD99LCL, row.OD99UCL];
          expect(limits.lower).toBeCloseTo(Number(lower), 12);
          expect(limits.upper).toBeCloseTo(Number(upper), 12);
        }
      }
    });

    it('CWT-62D’s default convention, from the catalogue, gives FunnelPlotR’s φ, τ², limits and outliers on medpar and on CWT January 2026', async () => {
      await loadCatalogue(database(), nationalCatalogue);
      const indicator = await findIndicator(database().db, 'CWT-62D');
      const options = funnelOptions({ trim: 0.1 }, indicator);
      expect(options).toMatchObject({ convention: 'cqc', conventionSource: 'indicator_default', adjustment: 'additive' });

      // FunnelPlotR's medpar proportion funnel: φ and τ², and its outlier flags for every provider but those of one
      // or two patients (one of its 5 outside 95 % is one of them: a limit folded below 1).
      const summary = readSharedCsv('oracles', 'FunnelPlotR', 'summary_phi_tau2_outliers.csv').find((row) => row.case_id === 'medpar_PR_died_limit95_both')!;
      const medparFunnel = indicatorFunnel(indicator, asRows(medpar()), options);
      expect(medparFunnel.overdispersion.phi).toBeCloseTo(Number(summary.phi), 10);
      expect(medparFunnel.overdispersion.tau2).toBeCloseTo(Number(summary.tau2), 12);
      const folded = funnelPlotRProportion(medpar()).folded(95);
      const flagged = (file: string) => new Set(readSharedCsv('oracles', 'FunnelPlotR', file).filter((row) => row.outlier === '1').map((row) => row.group));
      expect(beyond(medparFunnel.providers, 95, folded)).toEqual(without(flagged('medpar_PR_died_limit95_both_expected.csv'), folded));
      expect(beyond(medparFunnel.providers, 95, folded).size).toBe(4);
      expect(beyond(medparFunnel.providers, 99.8, folded)).toEqual(without(flagged('medpar_PR_died_limit99_expected.csv'), folded));

      // 62-day, all cancers, all routes, every provider of January 2026 (shared treatments count halves).
      const cwt = readSharedCsv('data', 'cancer_waiting_times', 'cwt_2026-01_provider_level.csv')
        .filter((r) => r['Org Code'] !== 'Total' && r.Standard === '62D' && r['Cancer Type'] === 'ALL CANCERS' && r['Referral Route/Stage'] === 'ALL ROUTES' && r['Treatment Modality'] === 'ALL MODALITIES')
        .map((r) => ({ id: r['Org Code'], numerator: Number(r.Within), denominator: Number(r.Total) }));
      expect(cwt).toHaveLength(144);
      const restated = funnelPlotRProportion(cwt);
      const funnel = indicatorFunnel(indicator, asRows(cwt), options);
      expect(funnel.overdispersion.phi).toBeCloseTo(restated.phi, 10);
      expect(funnel.overdispersion.tau2).toBeCloseTo(restated.tau2, 12);
      // Left out where a limit passes π/2: providers of fewer than 6 treatments (0.5 to 5.5), 4 at 95 %, 9 at 99.8 %.
      for (const coverage of [95, 99.8] as const) {
        const tiny = restated.folded(coverage);
        expect(cwt.filter((u) => tiny.has(u.id)).every((u) => u.denominator < 6)).toBe(true);
        expect(tiny.size).toBe(coverage === 95 ? 4 : 9);
        expect(beyond(funnel.providers, coverage, tiny)).toEqual(restated.outside(coverage));
      }
      // FunnelPlotR's 23 outside 95 %: the product's default reaches the same 23, the tiny providers included.
      expect(restated.outside(95).size).toBe(23);
      expect(beyond(funnel.providers, 95).size).toBe(23);
      const adjusted = funnel.curves.filter((c) => c.kind === 'adjusted');
      expect(adjusted.map((c) => c.coverage)).toEqual([0.95, 0.998]);
      for (const curve of adjusted) {
        for (const point of curve.points) {
          const want = restated.limits(point.precision, curve.coverage === 0.95 ? 95 : 99.8);
          // 5 decimals on the percentage scale: FunnelPlotR's z is rounded to 6 digits.
          expect(point.lower).toBeCloseTo(want.lower * 100, 5);
          expect(point.upper).toBeCloseTo((want.folded ? 1 : want.upper) * 100, 5);
        }
      }
      // The default matters: Spiegelhalter's convention on the same counts finds 13 outside 95 %.
      const spiegelhalter = indicatorFunnel(indicator, asRows(cwt), funnelOptions({ convention: 'spiegelhalter', trim: 0.1 }, indicator));
      expect(beyond(spiegelhalter.providers, 95).size).toBe(13);
    });
  });
});
