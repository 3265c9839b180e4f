import { expect, it } from 'vitest';
import {
  funnelAnalysis,
  funnelLimits,
  poissonIntervalBand,
  proportionLimits,
  type FunnelBand,
  type FunnelLimitModel,
  type FunnelProviderInput,
} from '../../api/stats/funnel';
import { describeWithShared, readSharedCsv, readSharedJson } from '../support/shared';

/**
 * The funnel engine against PHEindicatormethods 2.1.0's own funnel fixtures (tests/testthat, asserted
 * upstream), every row: Wilson-inverted proportion limits and significance, exact-Poisson ratio and rate
 * funnels (parametrised there by the observed count, solved by bisection to 1e-7, hence 1e-5 relative),
 * and ratio and rate significance against each unit's own exact or Byar's interval.
 */
const PHE = ['oracles', 'PHEindicatormethods'] as const;
const COVERAGES = [0.95, 0.998];

/** |actual − expected| ≤ rel·|expected| + abs. */
function expectClose(actual: number, expected: number, what: string, rel: number, abs = 0): void {
  expect(Math.abs(actual - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(rel * Math.abs(expected) + abs);
}

const significance: Record<FunnelBand, string> = {
  'above-99.8': 'High (0.001)',
  'above-95': 'High (0.025)',
  within: 'Not significant',
  'below-95': 'Low (0.025)',
  'below-99.8': 'Low (0.001)',
};

const poissonModel = (measure: 'ratio' | 'rate', target: number, multiplier: number): FunnelLimitModel => ({
  measure, scale: 'log', target, coverages: COVERAGES, poissonLimits: 'exact-test', proportionLimits: 'wilson', tau2: 0, phi: 1, multiplier,
});

describeWithShared('funnel engine against PHEindicatormethods 2.1.0 (oracles/PHEindicatormethods)', () => {
  // Files are read inside the tests, so a clone without ../shared skips them instead of failing to load.
  const propInputs = () => readSharedCsv(...PHE, 'testdata_funnel_prop_inputs.csv');
  const proportions = (rows: Record<string, string>[]): FunnelProviderInput[] =>
    rows.map((r) => ({ id: r.Area, numerator: Number(r.numerator), denominator: Number(r.denominator) }));

  it('testdata_funnel_prop_inputs.csv: significance of all 303 areas against the pooled proportion', () => {
    const inputs = propInputs();
    const result = funnelAnalysis({ measure: 'proportion', providers: proportions(inputs), proportionLimits: 'wilson', adjustment: 'none' });
    expect(result.providers).toHaveLength(303);
    result.providers.forEach((p, i) => expect(significance[p.band], `${p.id}`).toBe(inputs[i].significance));
  });

  const propTables = [
    // The full table prints 6 decimals, the axis-variation table 8: each is held to its own precision.
    { file: 'testdata_funnel_prop_outputs.csv', rows: propInputs, decimals: 6 },
    { file: 'testdata_funnel_prop_outputs_with_axis_variation.csv', rows: () => propInputs().filter((r) => Number(r.denominator) < 31000), decimals: 8 },
  ];
  for (const table of propTables) {
    it(`${table.file}: every row's Wilson-inverted 95 % and 99.8 % limits (× 100) and the baseline`, () => {
      const target = funnelAnalysis({ measure: 'proportion', providers: proportions(table.rows()), adjustment: 'none' }).target;
      const abs = 0.5 * 10 ** -table.decimals + 1e-12;
      const rows = readSharedCsv(...PHE, table.file);
      expect(rows).toHaveLength(100);
      for (const row of rows) {
        const n = Number(row.Population);
        expectClose(target * 100, Number(row.Baseline), `Baseline`, 0, abs);
        const [l95, l998] = COVERAGES.map((coverage) => proportionLimits(n, coverage, target, 'wilson'));
        expectClose(l95.lower * 100, Number(row.Lower2s0025limit), `n=${n} Lower2s0025limit`, 0, abs);
        expectClose(l95.upper * 100, Number(row.Upper2s0025limit), `n=${n} Upper2s0025limit`, 0, abs);
        expectClose(l998.lower * 100, Number(row.Lower3s0001limit), `n=${n} Lower3s0001limit`, 0, abs);
        expectClose(l998.upper * 100, Number(row.Upper3s0001limit), `n=${n} Upper3s0001limit`, 0, abs);
      }
    });
  }

  it('testdata_funnel_ratio_outputs.csv: every row — at each expected count the limit passes through the observed count', () => {
    const rows = readSharedCsv(...PHE, 'testdata_funnel_ratio_outputs.csv');
    expect(rows).toHaveLength(100);
    const model = poissonModel('ratio', 1, 1);
    for (const row of rows) {
      // The first header is "Observed_events" with a line break inside its quotes.
      const observed = Number(Object.values(row)[0]);
      COVERAGES.forEach((_coverage, i) => {
        for (const [side, prefix] of [['lower', 'lower'], ['upper', 'upper']] as const) {
          const column = `${prefix}_${i ? 3 : 2}s`;
          const expected = Number(row[`${column}_exp_events`]);
          const ratio = funnelLimits(model, expected).unadjusted[i][side];
          expectClose(ratio * expected, observed, `O=${observed} ${column} observed count at E=${expected}`, 1e-5);
          expectClose(ratio * 100, Number(row[`${column}_isr`]), `O=${observed} ${column}_isr`, 1e-5);
          expectClose(ratio - 1, Number(row[`${column}_count`]), `O=${observed} ${column}_count`, 0, 1e-5 * ratio);
        }
      });
    }
  });

  it('testdata_funnel_ratio_inputs.csv: significance of all 300 observed/expected pairs against 1', () => {
    const rows = readSharedCsv(...PHE, 'testdata_funnel_ratio_inputs.csv');
    expect(rows).toHaveLength(300);
    for (const row of rows) {
      expect(significance[poissonIntervalBand(Number(row.obs), Number(row.expected), 1)], `O=${row.obs} E=${row.expected}`).toBe(row.significance);
    }
  });

  // testdata_funnel_rate_input_funnels.csv holds the areas (events, rate per 100 000) the rate tables were drawn from.
  const rateInputs = () => readSharedCsv(...PHE, 'testdata_funnel_rate_input_funnels.csv').map((r) => ({ events: Number(r.ev), rate: Number(r.rate) }));
  const rateAreas = (events: (events: number, isLargest: boolean) => number) => {
    const inputs = rateInputs();
    const largest = Math.max(...inputs.map((r) => r.events));
    return inputs.map((r, i) => ({ id: `${i}`, events: events(r.events, r.events === largest), population: (1e5 * r.events) / r.rate, rate: r.rate }));
  };
  const rateTables = [
    // calculate_funnel_limits(rate_type = "dsr"): denominators derived as 100 000 × events / rate.
    { file: 'testdata_funnel_rate_outputs.csv', providers: () => rateAreas((e) => e).map((a) => ({ id: a.id, numerator: a.events, denominator: a.population })) },
    // "crude", the largest area's events replaced by 5 with its rate unchanged.
    {
      file: 'testdata_funnel_rate_outputs_2.csv',
      providers: () => rateAreas((e, largest) => (largest ? 5 : e)).map((a) => ({ id: a.id, numerator: a.events, denominator: (1e5 * a.events) / a.rate })),
    },
    // "crude" with populations supplied, the largest area given 0 events, areas below half the largest population dropped.
    {
      file: 'testdata_funnel_rate_outputs_3.csv',
      providers: () => {
        const areas = rateAreas((e, largest) => (largest ? 0 : e));
        const half = Math.max(...areas.map((a) => a.population)) / 2;
        return areas.filter((a) => a.population > half).map((a) => ({ id: a.id, numerator: a.events, denominator: a.population }));
      },
    },
  ];
  for (const table of rateTables) {
    it(`${table.file}: every row's 95 % and 99.8 % rate limits per 100 000 (3 years) and the baseline`, () => {
      const result = funnelAnalysis({ measure: 'rate', providers: table.providers(), multiplier: 1e5, adjustment: 'none' });
      expect(result.unadjustedLimits).toBe('exact-test');
      const model = poissonModel('rate', result.target / 1e5, 1e5);
      const rows = readSharedCsv(...PHE, table.file);
      expect(rows).toHaveLength(100);
      for (const row of rows) {
        expectClose(result.target, Number(row.baseline), 'baseline', 1e-9);
        COVERAGES.forEach((_, i) => {
          for (const side of ['lower', 'upper'] as const) {
            const column = `${side}_${i ? 3 : 2}s`;
            const population = 3 * Number(row[`${column}_population_1_year`]);
            const limit = funnelLimits(model, population).unadjusted[i][side];
            expectClose(limit, Number(row[`${column}_limit`]), `Events=${row.Events} ${column}_limit at n=${population}`, 1e-5);
          }
        });
      }
    });
  }

  it('testdata_funnel_rate_dsr_inputs.csv: all eight significance columns against the pooled rate', () => {
    const rows = readSharedCsv(...PHE, 'testdata_funnel_rate_dsr_inputs.csv').map((text) => ({ text, count: Number(text.count), pop: Number(text.pop) }));
    // Denominators derived from each rate (PHE: multiplier × count / rate; crude rates with 0 events use the population).
    // The multiplier cancels from the comparison, so the per 100 and per 100 000 columns must agree.
    const variants = [
      { columns: ['dsr_per_100000_with_0', 'dsr_per_100_with_0'], rate: 'rate_dsr', keepZero: true },
      { columns: ['dsr_per_100000_without_0', 'dsr_per_100_without_0'], rate: 'rate_dsr', keepZero: false },
      { columns: ['crude_per_100000_with_0', 'crude_per_100_with_0'], rate: 'rate_crude_per_100000', keepZero: true },
      { columns: ['crude_per_100000_without_0', 'crude_per_100_without_0'], rate: 'rate_crude_per_100000', keepZero: false },
    ];
    for (const { columns, rate, keepZero } of variants) {
      const dsr = rate === 'rate_dsr';
      const used = rows.filter((r) => keepZero || r.count !== 0);
      const denominators = used.map((r) => (r.count === 0 ? (dsr ? Number.NaN : r.pop) : (1e5 * r.count) / Number(r.text[rate])));
      const pooled = used.reduce((sum, r) => sum + r.count, 0) / denominators.filter((d) => !Number.isNaN(d)).reduce((sum, d) => sum + d, 0);
      used.forEach((row, i) => {
        for (const column of columns) {
          // PHE reports no significance for directly standardised rates from fewer than 10 events.
          if (dsr && row.count < 10) expect(row.text[column]).toBe('Not applicable for events less than 10 for dsrs');
          else expect(significance[poissonIntervalBand(row.count, denominators[i], pooled)], `${column} count=${row.count}`).toBe(row.text[column]);
        }
      });
    }
  });

  it('key_cases phe_funnel_proportion_limits and phe_funnel_ratio_limits', () => {
    type Case = { expected: Record<string, unknown> };
    const keys = readSharedJson<Record<string, Case>>('oracles', 'key_cases.json');
    const prop = keys.phe_funnel_proportion_limits.expected as { baseline_percent: number; rows: Record<string, number>[] };
    for (const row of prop.rows) {
      const [l95, l998] = COVERAGES.map((coverage) => proportionLimits(row.Population, coverage, prop.baseline_percent / 100, 'wilson'));
      expectClose(l95.lower * 100, row.lower_2s, `lower_2s n=${row.Population}`, 0, 1e-6);
      expectClose(l998.lower * 100, row.lower_3s, `lower_3s n=${row.Population}`, 0, 1e-6);
      expect([l95.upper * 100, l998.upper * 100]).toEqual([row.upper_2s, row.upper_3s]);
    }
    const [ratio] = keys.phe_funnel_ratio_limits.expected as unknown as Record<string, number>[];
    const [l95] = funnelLimits(poissonModel('ratio', 1, 1), ratio.lower_2s_exp_events).unadjusted;
    expectClose(l95.lower * 100, ratio.lower_2s_isr, 'lower_2s_isr', 1e-5);
    expectClose(funnelLimits(poissonModel('ratio', 1, 1), ratio.upper_2s_exp_events).unadjusted[0].upper * 100, ratio.upper_2s_isr, 'upper_2s_isr', 1e-5);
  });
});
