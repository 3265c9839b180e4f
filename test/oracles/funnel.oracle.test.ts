import { expect, it } from 'vitest';
import {
  funnelAnalysis,
  funnelBand,
  funnelLimits,
  coverageZ,
  standardErrorAtPrecision,
  transformedLimits,
  truncateZScores,
  type FunnelAnalysisInput,
  type FunnelLimit,
  type FunnelLimitModel,
  type FunnelProviderInput,
  type TransformedLimitInput,
} from '../../api/stats/funnel';
import { normalCdf } from '../../api/stats/distributions';
import { describeWithShared, readSharedCsv, readSharedJson } from '../support/shared';

/**
 * The funnel engine against FunnelPlotR 0.6.0 (generated files), every row; PHEindicatormethods in
 * funnel-phe.oracle.test.ts. Without these the engine could drift from the packages the field trusts
 * in ways no hand-computed case would show: truncation ranks, winsorising quantiles, χ² limits.
 */
type Row = Record<string, string>;
const FP = ['oracles', 'FunnelPlotR'] as const;

function value(text: string): number | null {
  if (text === 'NA') return null;
  if (text === 'Inf') return Infinity;
  return Number(text);
}

/** |actual − expected| ≤ rel·|expected| + abs; infinities must match exactly. */
function expectClose(actual: number | null, expected: number | null, what: string, rel = 1e-6, abs = 0): void {
  if (expected === null || actual === null || !Number.isFinite(expected)) {
    expect(actual, what).toBe(expected);
    return;
  }
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

// FunnelPlotR writes z as 1.959964 and 3.090232 in its normal-scale limits. The slack a limit is allowed beyond
// 1e-6 is exactly what that rounding moves it: the product's limit at the coverage FunnelPlotR's z implies.
const funnelPlotRCoverage = (coverage: number) => 1 - 2 * normalCdf(coverage === 0.95 ? -1.959964 : -3.090232);
function roundedZSlack(input: TransformedLimitInput, multiplier: number): { lower: number; upper: number } {
  const exact = transformedLimits(input);
  const rounded = transformedLimits({ ...input, coverage: funnelPlotRCoverage(input.coverage) });
  return { lower: Math.abs(exact.lower - rounded.lower) * multiplier, upper: Math.abs(exact.upper - rounded.upper) * multiplier };
}

// Inputs are read inside the tests, so a clone without ../shared skips them instead of failing to load.
const small6 = (): FunnelProviderInput[] =>
  readSharedCsv(...FP, 'small6_input.csv').map((r) => ({ id: r.group, numerator: Number(r.num), denominator: Number(r.denom) }));
const medparBy = (numerator: string, denominator: string) => (): FunnelProviderInput[] =>
  readSharedCsv(...FP, 'medpar_by_provider_input.csv').map((r) => ({ id: r.provnum, numerator: Number(r[numerator]), denominator: Number(r[denominator]) }));

interface FunnelPlotRCase {
  id: string;
  providers: () => FunnelProviderInput[];
  settings: Omit<FunnelAnalysisInput, 'providers'>;
  /** FunnelPlotR's `limit`: which coverage flags outliers. */
  outlierCoverage: 0.95 | 0.998;
  /** 'cqc': adjusted limits left unsquared (issue #33); 'ratio-of-counts': limits drawn with s = 1/(2√n) (README). */
  defect?: 'cqc' | 'ratio-of-counts';
  noLimitsDrawn?: boolean;
}

const shmi = { measure: 'ratio', convention: 'shmi', expectedDecimalPlaces: 2 } as const;
const cases: FunnelPlotRCase[] = [
  { id: 'small6_SR_SHMI_default', providers: small6, settings: shmi, outlierCoverage: 0.998 },
  { id: 'small6_SR_unadjusted_x100_limit95', providers: small6, settings: { ...shmi, adjustment: 'none', multiplier: 100 }, outlierCoverage: 0.95, noLimitsDrawn: true },
  { id: 'small6_SR_CQC_trim005_x100_limit95', providers: small6, settings: { measure: 'ratio', convention: 'cqc', trimFraction: 0.05, multiplier: 100 }, outlierCoverage: 0.95, defect: 'cqc' },
  { id: 'small6_SR_CQC_default', providers: small6, settings: { measure: 'ratio', convention: 'cqc' }, outlierCoverage: 0.998, defect: 'cqc' },
  { id: 'medpar_SR_unadjusted_limit99', providers: medparBy('los', 'prds'), settings: { ...shmi, adjustment: 'none' }, outlierCoverage: 0.998 },
  { id: 'medpar_SR_SHMI_limit99', providers: medparBy('los', 'prds'), settings: shmi, outlierCoverage: 0.998 },
  { id: 'medpar_SR_CQC_limit99', providers: medparBy('los', 'prds'), settings: { measure: 'ratio', convention: 'cqc' }, outlierCoverage: 0.998, defect: 'cqc' },
  { id: 'medpar_PR_died_limit99', providers: medparBy('died', 'n_patients'), settings: { measure: 'proportion', convention: 'cqc', proportionLimits: 'arcsine' }, outlierCoverage: 0.998 },
  { id: 'medpar_PR_died_limit95_both', providers: medparBy('died', 'n_patients'), settings: { measure: 'proportion', convention: 'cqc', proportionLimits: 'arcsine' }, outlierCoverage: 0.95 },
  { id: 'medpar_RC_died_vs_survived_limit99', providers: medparBy('died', 'survived'), settings: { measure: 'ratio-of-counts', convention: 'cqc' }, outlierCoverage: 0.998, defect: 'ratio-of-counts' },
];

/**
 * One pair of limits against FunnelPlotR's columns. Normal-scale limits get the rounded-z slack. Where an
 * arcsine limit leaves [0, π/2] the product holds it at 0 or 1; FunnelPlotR does so only when its lookup
 * table shows the curve turning back, and otherwise reports the wrapped sin², which is accepted there.
 */
function expectLimit(
  actual: FunnelLimit, row: Row, lowerColumn: string, upperColumn: string, at: (name: string) => string,
  normal: TransformedLimitInput | null, m: number, transform: (text: string) => number = (text) => value(text)!,
): boolean {
  let wrapped = false;
  const slack = normal ? roundedZSlack(normal, m) : { lower: 0, upper: 0 };
  const sides = [['lower', lowerColumn, -1], ['upper', upperColumn, 1]] as const;
  for (const [side, column, sign] of sides) {
    const expected = transform(row[column]);
    if (normal?.scale === 'arcsine') {
      const beyond = Math.asin(Math.sqrt(normal.target)) + sign * coverageZ(normal.coverage) * Math.sqrt(normal.s ** 2 + (normal.tau2 ?? 0));
      if (beyond < 0 || beyond > Math.PI / 2) {
        expect(actual[side], at(`${column} held at the edge`)).toBe(side === 'lower' ? 0 : m);
        if (Math.abs(expected - actual[side]) > 1e-12) {
          expectClose(expected, Math.sin(beyond) ** 2 * m, at(`${column} wrapped by FunnelPlotR`), 1e-6, 1e-6);
          wrapped = true;
        }
        continue;
      }
    }
    expectClose(actual[side], expected, at(column), 1e-6, slack[side]);
  }
  return wrapped;
}

const isOutlier = (band: string, coverage: number) => (coverage === 0.95 ? band !== 'within' : band.endsWith('99.8'));

/**
 * The outlier flag. The band rule (inclusive limits) applied to FunnelPlotR's own limits must reproduce its
 * flag; the product's own band must give the same flag except where its limits rightly differ (the defects).
 * FunnelPlotR flags only against limits it draws: with neither adjusted nor unadjusted limits drawn
 * (small6_SR_unadjusted_x100_limit95) every flag is 0, and the product is held to the flag its limits imply.
 */
function expectFlags(c: FunnelPlotRCase, row: Row, ratio: number, band: string, adjusted: boolean, at: (name: string) => string, wrapped = false): boolean {
  const columns = adjusted ? [['OD95LCL', 'OD95UCL'], ['OD99LCL', 'OD99UCL']] : [['LCL95', 'UCL95'], ['LCL99', 'UCL99']];
  const theirs = [0.95, 0.998].map((coverage, i) => ({ coverage, lower: value(row[columns[i][0]])!, upper: value(row[columns[i][1]])! }));
  const implied = isOutlier(funnelBand(ratio, theirs), c.outlierCoverage);
  expect(row.outlier === '1', at('outlier')).toBe(c.noLimitsDrawn ? false : implied);
  const product = isOutlier(band, c.outlierCoverage);
  // A ratio of 1 at n = 1 lies on the product's limit of 1, but above FunnelPlotR's wrapped 0.998.
  if (wrapped && product !== implied) return expect([product, implied], at('wrapped limit flag')).toEqual([false, true]), true;
  if (!c.defect) expect(product, at('product outlier')).toBe(implied);
  return false;
}

const limitColumns = [
  ['LCL95', 'UCL95', 'OD95LCL', 'OD95UCL'],
  ['LCL99', 'UCL99', 'OD99LCL', 'OD99UCL'],
] as const;

describeWithShared('funnel engine against FunnelPlotR 0.6.0 (oracles/FunnelPlotR)', () => {
  const summary = (id: string) => readSharedCsv(...FP, 'summary_phi_tau2_outliers.csv').find((r) => r.case_id === id)!;

  for (const c of cases) {
    it(`${c.id}_expected.csv: every row's ratio, z, trimming, limits and outlier flag`, () => {
      const rows = readSharedCsv(...FP, `${c.id}_expected.csv`);
      const providers = c.providers();
      const result = funnelAnalysis({ ...c.settings, providers, limits: [0.95, 0.998] });
      const m = result.multiplier;
      const byId = new Map(result.providers.map((p) => [p.id, p]));
      const truncation = 'rk' in rows[0] ? truncateZScores(result.providers.map((p) => p.z), c.settings.trimFraction ?? 0.1) : null;
      expect(rows).toHaveLength(providers.length);
      let flagsLostToWrapping = 0;
      for (const row of rows) {
        const p = byId.get(row.group)!;
        const at = (name: string) => `${c.id} ${row.group} ${name}`;
        expectClose(p.value / m, value(row.rr), at('rr'));
        expectClose(p.y, value(row.Y), at('Y'));
        expectClose(result.targetTransformed, value(row.target_transformed), at('target_transformed'));
        expectClose(p.z, value(row.Uzscore), at('Uzscore'));
        expectClose(p.trimmedZ, value(row.Wuzscore), at('Wuzscore'));
        expect(p.trimmed, at('truncated/winsorised')).toBe((row.truncated ?? row.winsorised) === '1');
        if (truncation) {
          const i = result.providers.indexOf(p);
          expect([truncation.rank[i], truncation.group[i]], at('rk, sp')).toEqual([Number(row.rk), Number(row.sp)]);
        }
        if (c.defect === 'ratio-of-counts') {
          // Its "s" column and all its limits use s = 1/(2√n); only the z-scores and trimming above are asserted.
          expectFlags(c, row, p.value, p.band, result.overdispersion.applied, at);
          continue;
        }
        expectClose(p.s, value(row.s), at('s'));
        const target = result.target / m;
        const tau2 = result.overdispersion.applied ? result.overdispersion.tau2 : 0;
        let wrapped = false;
        limitColumns.forEach(([lcl, ucl, odl, odu], i) => {
          const normal: TransformedLimitInput = {
            scale: result.scale, target, s: standardErrorAtPrecision(result.scale, p.precision, target), coverage: [0.95, 0.998][i],
          };
          const { unadjusted, adjusted } = p.limitsAtPrecision;
          // Ratios' unadjusted limits are χ² (no rounded z); proportions' are arcsine with τ² = 0.
          const exactLimits = result.measure === 'ratio';
          wrapped = expectLimit(unadjusted[i], row, lcl, ucl, at, exactLimits ? null : normal, m) || wrapped;
          // FunnelPlotR leaves CQC's 1 ± z·√(s² + τ²) unsquared (issue #33); the product squares it back (lower held at 0).
          const squared = c.defect === 'cqc' ? (text: string) => Math.max(0, Number(text) / m) ** 2 * m : undefined;
          wrapped = expectLimit(adjusted[i], row, odl, odu, at, { ...normal, tau2 }, m, squared) || wrapped;
        });
        if (expectFlags(c, row, p.value, p.band, result.overdispersion.applied, at, wrapped)) flagsLostToWrapping++;
      }
      const s = summary(c.id);
      expect(result.overdispersion.applied, 'draw_adjusted_effective').toBe(s.draw_adjusted_effective === 'TRUE');
      expect(result.providers).toHaveLength(Number(s.n_groups));
      // FunnelPlotR reports φ = τ² = 0 when draw_adjusted = FALSE; the product still estimates them.
      if (s.draw_adjusted_effective === 'TRUE') {
        expectClose(result.overdispersion.phi, Number(s.phi), 'phi');
        expectClose(result.overdispersion.tau2, Number(s.tau2), 'tau2');
      }
      if (!c.defect && !c.noLimitsDrawn) expect(result.providers.filter((p) => isOutlier(p.band, c.outlierCoverage)).length, 'n_outliers').toBe(Number(s.n_outliers) - flagsLostToWrapping);
    });
  }

  it('summary_phi_tau2_outliers.csv medpar_SR_SHMI_limit95: 16 outliers against the adjusted 95 % limits', () => {
    const s = summary('medpar_SR_SHMI_limit95');
    const result = funnelAnalysis({ ...shmi, providers: medparBy('los', 'prds')() });
    expectClose(result.overdispersion.phi, Number(s.phi), 'phi');
    expectClose(result.overdispersion.tau2, Number(s.tau2), 'tau2');
    expect(result.providers.filter((p) => p.band !== 'within')).toHaveLength(Number(s.n_outliers));
  });

  it('limits_grid_calculate_limits.csv: every precision, data type, τ², target and multiplier', () => {
    for (const row of readSharedCsv(...FP, 'limits_grid_calculate_limits.csv')) {
      const at = (name: string) => `${row.data_type} ${row.sr_method} τ²=${row.tau2} θ=${row.target} ×${row.multiplier} n=${row.number_seq} ${name}`;
      const [n, target, tau2, m] = [row.number_seq, row.target, row.tau2, row.multiplier].map(Number);
      const measure = row.data_type === 'SR' ? 'ratio' : row.data_type === 'PR' ? 'proportion' : 'ratio-of-counts';
      const scale = row.data_type === 'PR' ? 'arcsine' : row.data_type === 'RC' ? 'log-ratio-of-counts' : row.sr_method === 'CQC' ? 'square-root' : 'log';
      const model: FunnelLimitModel = {
        measure, scale, target, tau2, phi: 1, multiplier: m, coverages: [0.95, 0.998], poissonLimits: 'chi-squared', proportionLimits: 'arcsine',
      };
      // FunnelPlotR draws ratio-of-counts lines with s = 1/(2√n) (its defect): their back-transform is checked
      // with that s, while the product's own lines use √(1/(θn) + 1/n) and differ by design.
      const rcS = 1 / (2 * Math.sqrt(n));
      const limits =
        measure === 'ratio-of-counts'
          ? {
              unadjusted: model.coverages.map((coverage) => transformedLimits({ scale, target, s: rcS, coverage })),
              adjusted: model.coverages.map((coverage) => transformedLimits({ scale, target, s: rcS, coverage, tau2 })),
            }
          : funnelLimits(model, n);
      const s = measure === 'ratio-of-counts' ? rcS : standardErrorAtPrecision(scale, n, target);
      const squared = row.sr_method === 'CQC' ? (text: string) => Math.max(0, Number(text) / m) ** 2 * m : undefined;
      [['ll95', 'ul95', 'odll95', 'odul95'], ['ll998', 'ul998', 'odll998', 'odul998']].forEach(([ll, ul, odl, odu], i) => {
        const normal: TransformedLimitInput = { scale, target, s, coverage: model.coverages[i] };
        expectLimit(limits.unadjusted[i], row, ll, ul, at, measure === 'ratio' ? null : normal, m);
        expectLimit(limits.adjusted[i], row, odl, odu, at, { ...normal, tau2 }, m, squared);
      });
    }
  });
});

interface KeyCase {
  input: Record<string, number[] | string[] | number>;
  expected: Record<string, unknown>;
}

describeWithShared('funnel engine against key_cases.json (funnelplotr_*; phe_funnel_* in funnel-phe.oracle.test.ts)', () => {
  const key = (id: string) => readSharedJson<Record<string, KeyCase>>('oracles', 'key_cases.json')[id];

  it('funnelplotr_poisson_limits_SR_unadjusted: exact Poisson limits at E = 15, 20, 30 (7 significant figures)', () => {
    const { input, expected } = key('funnelplotr_poisson_limits_SR_unadjusted');
    const model: FunnelLimitModel = {
      measure: 'ratio', scale: 'log', target: 1, tau2: 0, phi: 1, multiplier: 1, coverages: [0.95, 0.998], poissonLimits: 'chi-squared', proportionLimits: 'exact',
    };
    (input.E as number[]).forEach((e, i) => {
      const [l95, l998] = funnelLimits(model, e).unadjusted;
      const want = expected as Record<string, number[]>;
      expectClose(l95.lower, want.ll95[i], `ll95 E=${e}`, 5e-7);
      expectClose(l95.upper, want.ul95[i], `ul95 E=${e}`, 5e-7);
      expectClose(l998.lower, want.ll998[i], `ll998 E=${e}`, 5e-7);
      expectClose(l998.upper, want.ul998[i], `ul998 E=${e}`, 5e-7);
    });
  });

  it('funnelplotr_small6_SR_SHMI_default and _CQC_default: φ, τ² and group a limits (CQC squared back, issue #33)', () => {
    const shmiCase = key('funnelplotr_small6_SR_SHMI_default').expected as Record<string, number> & { group_a: Record<string, number> };
    const shmiResult = funnelAnalysis({ ...shmi, providers: small6() });
    expectClose(shmiResult.overdispersion.phi, shmiCase.phi, 'phi (6 dp, asserted upstream)', 0, 5e-7);
    expectClose(shmiResult.overdispersion.tau2, shmiCase.tau2, 'tau2');
    const a = shmiResult.providers[0].limitsAtPrecision;
    expectClose(a.adjusted[0].lower, shmiCase.group_a.OD95LCL, 'OD95LCL');
    expectClose(a.adjusted[1].upper, shmiCase.group_a.OD99UCL, 'OD99UCL');
    expectClose(a.unadjusted[0].upper, shmiCase.group_a.UCL95, 'UCL95');
    expect(shmiResult.providers.filter((p) => p.band.endsWith('99.8'))).toHaveLength(shmiCase.n_outliers);

    const cqcCase = key('funnelplotr_small6_SR_CQC_default').expected as Record<string, number | number[]>;
    const cqc = funnelAnalysis({ measure: 'ratio', convention: 'cqc', providers: small6() });
    expectClose(cqc.overdispersion.phi, cqcCase.phi as number, 'CQC phi');
    expectClose(cqc.overdispersion.tau2, cqcCase.tau2 as number, 'CQC tau2');
    const [lower, upper] = cqcCase.group_a_OD95_squared_spiegelhalter as number[];
    expectClose(cqc.providers[0].limitsAtPrecision.adjusted[0].lower, lower, 'CQC group a OD95 lower, squared');
    expectClose(cqc.providers[0].limitsAtPrecision.adjusted[0].upper, upper, 'CQC group a OD95 upper, squared');
  });

  it('funnelplotr_outlier_flags: limits are inclusive; the multiplier scales the ratio before comparing', () => {
    const { input, expected } = key('funnelplotr_outlier_flags');
    const n = input as Record<string, number> & { rr: number[] };
    const pair = (prefix: string, coverage: number): FunnelLimit => ({ coverage, lower: n[`${prefix}LCL`], upper: n[`${prefix}UCL`] });
    const flags = (limit: FunnelLimit, scale = 1) => n.rr.map((rr) => (funnelBand(rr * scale, [limit]) === 'within' ? 0 : 1));
    const want = expected as Record<string, number[]>;
    expect(flags({ coverage: 0.95, lower: n.LCL95, upper: n.UCL95 })).toEqual(want['95_unadjusted']);
    expect(flags(pair('OD95', 0.95))).toEqual(want['95_adjusted']);
    expect(flags({ coverage: 0.998, lower: n.LCL99, upper: n.UCL99 })).toEqual(want['99_unadjusted']);
    expect(flags(pair('OD99', 0.998))).toEqual(want['99_adjusted']);
    expect(flags({ coverage: 0.95, lower: n.LCL95, upper: n.UCL95 }, 100)).toEqual(want['95_unadjusted_multiplier100']);
  });

  it('funnelplotr_medpar: 54 groups, 25 unadjusted and 9 SHMI-adjusted 99.8 % outliers, 16 at 95 %, φ and τ²', () => {
    const want = key('funnelplotr_medpar').expected as Record<string, number>;
    const unadjusted = funnelAnalysis({ ...shmi, adjustment: 'none', providers: medparBy('los', 'prds')() });
    const adjusted = funnelAnalysis({ ...shmi, providers: medparBy('los', 'prds')() });
    const cqc = funnelAnalysis({ measure: 'ratio', convention: 'cqc', providers: medparBy('los', 'prds')() });
    expect(adjusted.providers).toHaveLength(want.n_groups);
    expect(unadjusted.providers.filter((p) => p.band.endsWith('99.8'))).toHaveLength(want.unadjusted_99_outliers);
    expect(adjusted.providers.filter((p) => p.band.endsWith('99.8'))).toHaveLength(want.SHMI_adjusted_99_outliers);
    expect(adjusted.providers.filter((p) => p.band !== 'within')).toHaveLength(want.SHMI_adjusted_95_outliers);
    expectClose(adjusted.overdispersion.phi, want.SHMI_phi, 'SHMI phi');
    expectClose(adjusted.overdispersion.tau2, want.SHMI_tau2, 'SHMI tau2');
    expectClose(cqc.overdispersion.phi, want.CQC_phi, 'CQC phi');
    expectClose(cqc.overdispersion.tau2, want.CQC_tau2, 'CQC tau2');
  });
});
