/**
 * The SPC engine against NHSRplotthedots 0.2.2 (../shared/oracles/NHSRplotthedots, generated with
 * the package at commit 050b07d; see the oracle README). Every *_expected.csv is run with the
 * settings its name states, and every row is compared: centre, limits (relative 1e-6), segment,
 * the special-cause flag, the upstream special_cause_type label and point_type; then every row of
 * summary_by_case.csv (per facet and rebase group: limits, counts, variation and assurance).
 * NHSRplotthedots defaults: screened moving ranges, improvement direction "increase".
 */
import { expect, it } from 'vitest';
import {
  spcChart,
  specialCauseRules,
  type ImprovementDirection,
  type SpcChart,
  type SpcPoint,
  type SpecialCauseRule,
} from '../../api/stats/spc';
import { describeWithShared, readSharedCsv, readSharedJson } from '../support/shared';

const ORACLE = ['oracles', 'NHSRplotthedots'];

interface Series {
  facet: string;
  dates: string[];
  values: number[];
}

interface OracleCase {
  /** summary_by_case.csv case_id, and the *_expected.csv name unless `summaryOnly`. */
  id: string;
  /** A case that only changes the summary (a target): its points are another case's. */
  summaryOnly?: true;
  series: () => Series[];
  improvementDirection?: ImprovementDirection;
  screenMovingRanges?: boolean;
  baselineLength?: number;
  rebaseDates?: string[];
  target?: number;
}

function inputSeries(file: string, valueColumn: string, dateColumn: string): () => Series[] {
  return () => {
    const rows = readSharedCsv(...ORACLE, file);
    return [{ facet: 'no facet', dates: rows.map((row) => row[dateColumn]), values: rows.map((row) => Number(row[valueColumn])) }];
  };
}

/** Type 1 A&E departments from the shared NHS data, one series per trust, ordered by month. */
function aeSeries(orgCodes: string[], measure: (attendances: number, breaches: number) => number, facet = false): () => Series[] {
  return () => {
    const rows = readSharedCsv('data', 'ae_attendances', 'ae_attendances.csv').filter((row) => row.type === '1' && orgCodes.includes(row.org_code));
    return orgCodes.map((org) => {
      const mine = rows.filter((row) => row.org_code === org).sort((a, b) => a.period.localeCompare(b.period));
      return {
        facet: facet ? org : 'no facet',
        dates: mine.map((row) => row.period),
        values: mine.map((row) => measure(Number(row.attendances), Number(row.breaches))),
      };
    });
  };
}

/** England total attendances (all trusts, all department types) per month. */
function totalAttendances(): Series[] {
  const totals = new Map<string, number>();
  for (const row of readSharedCsv('data', 'ae_attendances', 'ae_attendances.csv')) {
    totals.set(row.period, (totals.get(row.period) ?? 0) + Number(row.attendances));
  }
  const dates = [...totals.keys()].sort();
  return [{ facet: 'no facet', dates, values: dates.map((date) => totals.get(date) ?? Number.NaN) }];
}

const rnorm20 = inputSeries('rnorm20_seed123_input.csv', 'y', 'x');
const rnorm20Spike = inputSeries('rnorm20_seed123_y15eq10_input.csv', 'y', 'x');
const deviations = inputSeries('deviations_vignette_input.csv', 'data', 'date');
const designed = inputSeries('designed_rules_input.csv', 'y', 'x');

/** The case_id values of summary_by_case.csv; the designed_rules and two_in_three cases have no summary row. */
const SUMMARY_CASES = [
  'rnorm20_seed123_default',
  'rnorm20_seed123_target05',
  'deviations_vignette_screened',
  'deviations_vignette_unscreened',
  'ae_RJZ_type1_breaches_decrease',
  'ae_total_attendances_rebase_2017_2018',
  'ae_5trusts_type1_breaches_facet_target1000',
  'ae_RJZ_type1_4hr_performance_target95',
];

const CASES: OracleCase[] = [
  { id: 'rnorm20_seed123_default', series: rnorm20 },
  { id: 'rnorm20_seed123_target05', summaryOnly: true, series: rnorm20, target: 0.5 },
  { id: 'rnorm20_seed123_fix12', series: rnorm20, baselineLength: 12 },
  { id: 'rnorm20_seed123_y15eq10_screened', series: rnorm20Spike },
  { id: 'rnorm20_seed123_y15eq10_unscreened', series: rnorm20Spike, screenMovingRanges: false },
  { id: 'deviations_vignette_screened', series: deviations },
  { id: 'deviations_vignette_unscreened', series: deviations, screenMovingRanges: false },
  ...(['increase', 'decrease', 'neutral'] as const).flatMap((direction) =>
    [true, false].map((screen) => ({
      id: `designed_rules_${direction}_screen${screen ? 'TRUE' : 'FALSE'}`,
      series: designed,
      improvementDirection: direction,
      screenMovingRanges: screen,
    })),
  ),
  { id: 'two_in_three_opposite_sides', series: inputSeries('two_in_three_opposite_sides_input.csv', 'data', 'date') },
  { id: 'ae_RJZ_type1_breaches_decrease', series: aeSeries(['RJZ'], (_, breaches) => breaches), improvementDirection: 'decrease' },
  {
    id: 'ae_RJZ_type1_4hr_performance_target95',
    series: aeSeries(['RJZ'], (attendances, breaches) => 1 - breaches / attendances),
    target: 0.95,
  },
  { id: 'ae_total_attendances_rebase_2017_2018', series: totalAttendances, rebaseDates: ['2017-04-01', '2018-04-01'] },
  {
    // The upstream example names five trusts; RQ1 has no type 1 rows in ae_attendances, so four facets.
    id: 'ae_5trusts_type1_breaches_facet_target1000',
    series: aeSeries(['RAS', 'RJC', 'RJZ', 'RR1'], (_, breaches) => breaches, true),
    improvementDirection: 'decrease',
    target: 1000,
  },
];

function run(oracle: OracleCase): { series: Series; chart: SpcChart }[] {
  return oracle.series().map((series) => ({
    series,
    chart: spcChart({
      kind: 'xmr',
      values: series.values,
      improvementDirection: oracle.improvementDirection ?? 'increase',
      screenMovingRanges: oracle.screenMovingRanges ?? true,
      baselineLength: oracle.baselineLength,
      rebaseAt: oracle.rebaseDates?.map((date) => series.dates.indexOf(date)),
      target: oracle.target,
    }),
  }));
}

/** Relative 1e-6, with an absolute floor for oracle values of exactly 0 (two_in_three centre). */
function near(actual: number | null, expected: string | number): boolean {
  const wanted = Number(expected);
  return actual !== null && Math.abs(actual - wanted) <= 1e-6 * Math.abs(wanted) + 1e-12;
}

/** The NHSRplotthedots special_cause_type label for a point's reported rule. */
function upstreamLabel(point: SpcPoint): string {
  const side = point.direction === 'high' ? 'Above' : 'Below';
  switch (point.rule) {
    case 'outside_limits':
      return point.direction === 'high' ? 'Above UCL' : 'Below LCL';
    case 'trend':
      return `7 Point Trend (${point.direction === 'high' ? 'Increasing' : 'Decreasing'})`;
    case 'two_of_three':
      return `2 in 3 ${side} CL`;
    case 'run':
      return `7 Points ${side} CL`;
    default:
      return 'Common Cause';
  }
}

/** Our seven variation icons onto upstream point_type, which drops high / low for improvement and concern. */
function upstreamVariation(chart: SpcChart): string {
  return chart.variation.replace(/^(special_cause_(?:improvement|concern))_(?:high|low)$/, '$1');
}

describeWithShared('SPC engine against NHSRplotthedots 0.2.2 expected points', () => {
  it.each(CASES.filter((oracle) => !oracle.summaryOnly).map((oracle) => [oracle.id, oracle] as const))('%s', (id, oracle) => {
    const expected = readSharedCsv(...ORACLE, `${id}_expected.csv`);
    const actual = run(oracle).flatMap(({ series, chart }) => chart.points.map((point) => ({ series, point })));
    expect(actual).toHaveLength(expected.length);
    const mismatches: string[] = [];
    expected.forEach((row, i) => {
      const { series, point } = actual[i];
      const where = `${id} row ${i + 1} (${row.f ?? 'no facet'} ${row.x})`;
      if (series.dates[point.index] !== row.x || (row.f !== undefined && series.facet !== row.f)) mismatches.push(`${where}: wrong point`);
      if (!near(point.value, row.y)) mismatches.push(`${where}: y ${point.value}`);
      for (const [column, value] of [['mean_col', point.centre], ['lpl', point.lowerLimit], ['upl', point.upperLimit]] as const) {
        if (!near(value, row[column])) mismatches.push(`${where}: ${column} ${value} ≠ ${row[column]}`);
      }
      if (row.rebase_group !== undefined && String(point.segment) !== row.rebase_group) mismatches.push(`${where}: segment ${point.segment}`);
      const flag = row.special_cause_flag ?? String(row.special_cause_type !== 'Common Cause').toUpperCase();
      if (String(point.rule !== null).toUpperCase() !== flag) mismatches.push(`${where}: special cause flag, rule ${point.rule}`);
      if (upstreamLabel(point) !== row.special_cause_type) mismatches.push(`${where}: ${upstreamLabel(point)} ≠ ${row.special_cause_type}`);
      if (point.pointType !== row.point_type) mismatches.push(`${where}: ${point.pointType} ≠ ${row.point_type}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describeWithShared('SPC engine against NHSRplotthedots 0.2.2 summary_by_case.csv', () => {
  it('covers every case of the summary', () => {
    const ids = new Set(readSharedCsv(...ORACLE, 'summary_by_case.csv').map((row) => row.case_id));
    expect([...ids].sort()).toEqual([...SUMMARY_CASES].sort());
  });

  it.each(CASES.filter((oracle) => SUMMARY_CASES.includes(oracle.id)).map((oracle) => [oracle.id, oracle] as const))('%s', (id, oracle) => {
    const rows = readSharedCsv(...ORACLE, 'summary_by_case.csv').filter((row) => row.case_id === id);
    expect(rows.length).toBeGreaterThan(0);
    const charts = run(oracle);
    for (const row of rows) {
      const found = charts.find(({ series }) => series.facet === row.f);
      expect(found, `${id} facet ${row.f}`).toBeDefined();
      const { chart } = found!;
      const segment = Number(row.rebase_group);
      const points = chart.points.filter((point) => point.segment === segment);
      const first = points[0];
      const label = `${id} ${row.f} group ${segment}`;
      expect(near(first.centre, row.mean_col) && near(first.lowerLimit, row.lpl) && near(first.upperLimit, row.upl), label).toBe(true);
      expect(
        {
          n: points.length,
          commonCause: points.filter((point) => point.rule === null).length,
          improvement: points.filter((point) => point.specialCause === 'improvement').length,
          concern: points.filter((point) => point.specialCause === 'concern').length,
          variation: upstreamVariation(chart),
          // Upstream reports assurance on the last rebase group only; the others are NA, written as ''.
          assurance: segment === chart.segments.length - 1 ? (chart.assurance ?? '') : '',
        },
        label,
      ).toEqual({
        n: Number(row.n),
        commonCause: Number(row.common_cause),
        improvement: Number(row.special_cause_improvement),
        concern: Number(row.special_cause_concern),
        variation: row.variation_type,
        assurance: row.assurance_type,
      });
    }
  });
});

interface KeyCases {
  ptd_xmr_rnorm20: { expected: Record<'default' | 'y15_eq_10_screened' | 'y15_eq_10_unscreened', Limits> };
  ptd_xmr_deviations_vignette: { input: number[]; expected: Record<'screened' | 'unscreened', Limits> };
  ptd_rule_unit_vectors: {
    seven_point_trend: Record<string, number[]>;
    seven_point_one_side_mean: Record<string, number[]>;
    two_in_three: Record<string, number[]>;
  };
}
interface Limits {
  mean: number;
  lpl: number;
  upl: number;
}

describeWithShared('SPC engine against key_cases.json (NHSRplotthedots)', () => {
  const expectLimits = (chart: SpcChart, expected: Limits) => {
    const { centre, lowerLimit, upperLimit } = chart.points[0];
    expect(near(centre, expected.mean) && near(lowerLimit, expected.lpl) && near(upperLimit, expected.upl)).toBe(true);
  };

  it('ptd_xmr_rnorm20: the upstream snapshot series, and one extreme point screened and unscreened', () => {
    const { expected } = readSharedJson<KeyCases>('oracles', 'key_cases.json').ptd_xmr_rnorm20;
    expectLimits(spcChart({ kind: 'xmr', values: rnorm20()[0].values }), expected.default);
    expectLimits(spcChart({ kind: 'xmr', values: rnorm20Spike()[0].values }), expected.y15_eq_10_screened);
    expectLimits(spcChart({ kind: 'xmr', values: rnorm20Spike()[0].values, screenMovingRanges: false }), expected.y15_eq_10_unscreened);
  });

  it('ptd_xmr_deviations_vignette: screened 4.60 / 1.94 / −0.72 against the MDC Excel tool’s 6.95 / 1.94 / −3.06', () => {
    const { input, expected } = readSharedJson<KeyCases>('oracles', 'key_cases.json').ptd_xmr_deviations_vignette;
    expectLimits(spcChart({ kind: 'xmr', values: input }), expected.screened);
    expectLimits(spcChart({ kind: 'xmr', values: input, screenMovingRanges: false }), expected.unscreened);
  });

  it('ptd_rule_unit_vectors: the upstream rule tests, with every point of a detected pattern flagged', () => {
    const vectors = readSharedJson<KeyCases>('oracles', 'key_cases.json').ptd_rule_unit_vectors;
    // Upstream marks the point completing a trend or run; ptd_part_of_seven_trend then flags it and the six before.
    const partOfSeven = (marks: number[]) => marks.map((_, i) => Number(marks.slice(i, i + 7).some((mark) => mark !== 0)));
    const rulePoints = (values: number[]) =>
      values.map((value) => ({ value, segment: 0, centre: 0, lowerLimit: -3, upperLimit: 3, lowerTwoSigma: -2, upperTwoSigma: 2 }));
    const flagged = (values: number[], rule: SpecialCauseRule) =>
      specialCauseRules(rulePoints(values)).map((result) => Number(result.rulesMet.includes(rule)));

    // The R expressions of the test names, evaluated by hand; trend values scaled into ±1 so no limit rule fires.
    const trendInputs: Record<string, number[]> = {
      '1:7': [1, 2, 3, 4, 5, 6, 7],
      'c(1:3,3:6)': [1, 2, 3, 3, 4, 5, 6],
      '7:1': [7, 6, 5, 4, 3, 2, 1],
      'c(2,1:7,3)': [2, 1, 2, 3, 4, 5, 6, 7, 3],
    };
    for (const [name, marks] of Object.entries(vectors.seven_point_trend)) {
      expect(flagged(trendInputs[name].map((v) => v / 8), 'trend'), name).toEqual(partOfSeven(marks));
    }
    const sideInputs: Record<string, number[]> = { 'c(rep(1,8),-1)': [1, 1, 1, 1, 1, 1, 1, 1, -1], 'c(rep(1,6),-1)': [1, 1, 1, 1, 1, 1, -1] };
    for (const [name, marks] of Object.entries(vectors.seven_point_one_side_mean)) {
      expect(flagged(sideInputs[name], 'run'), name).toEqual(partOfSeven(marks));
    }
    // Close-to-limit points sit at ±2.5 (inside the band), the others at ±1; upstream then keeps only the close ones.
    const twoInThreeInputs: Record<string, { values: number[]; close: number[] }> = {
      'close=c(0,0,1,0,1,0,0), side all +1': { values: [1, 1, 2.5, 1, 2.5, 1, 1], close: [0, 0, 1, 0, 1, 0, 0] },
      'close=c(1,0,1), side=c(1,-1,1)': { values: [2.5, -1, 2.5], close: [1, 0, 1] },
    };
    for (const [name, marks] of Object.entries(vectors.two_in_three)) {
      const { values, close } = twoInThreeInputs[name];
      expect(flagged(values, 'two_of_three'), name).toEqual(marks.map((mark, i) => mark * close[i]));
    }
  });
});
