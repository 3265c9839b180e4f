import { describe, expect, it } from 'vitest';
import { rFixture } from '../../../test/support/r-fixture';
import { attributeChartChoice } from './attribute-chart-choice';

// σ_z and the band √(qchisq(0.95, ν)/ν), ν = 0.62(k − 1), from R: test/fixtures/spc-laney/generate.R.
const fixture = (file: string) => rFixture(`spc-laney/${file}`);
const limits = fixture('laney-limits.csv');
const sigmaZs = fixture('laney-sigma-z.csv');

function choiceFor(name: string) {
  const rows = limits.filter((row) => row.case === name);
  const measure = rows[0].kind === 'pprime' ? 'proportion' : 'rate';
  return attributeChartChoice(measure, rows.map((row) => Number(row.numerator)), rows.map((row) => Number(row.denominator)));
}

describe('attributeChartChoice', () => {
  it.each([
    ['ae_RXH_4hr_pprime', 'pprime'],
    ['ae_RXH_admissions_uprime', 'uprime'],
    ['binomial_seed2026_pprime', 'p'],
    ['poisson_seed2026_uprime', 'u'],
  ])('%s: σ_z against the 95 %% band gives the %s chart', (name, chart) => {
    const expected = sigmaZs.find((row) => row.case === name)!;
    const choice = choiceFor(name);
    expect(choice.chart).toBe(chart);
    expect(choice.rule).toBe('laney_sigma_z_overdispersion');
    expect(Math.abs(choice.sigmaZ! - Number(expected.sigma_z))).toBeLessThan(1e-9);
    expect(Math.abs(choice.threshold! - Number(expected.upper_band))).toBeLessThan(1e-6);
  });

  it('judges the latest segment: a rebase gives its baseline the say', () => {
    const rows = limits.filter((row) => row.case === 'ae_RXH_4hr_pprime_rebase13_baseline6');
    const latest = sigmaZs.filter((row) => row.case === 'ae_RXH_4hr_pprime_rebase13_baseline6').at(-1)!;
    const choice = attributeChartChoice('proportion', rows.map((row) => Number(row.numerator)), rows.map((row) => Number(row.denominator)), { rebaseAt: [12], baselineLength: 6 });
    expect(Math.abs(choice.sigmaZ! - Number(latest.sigma_z))).toBeLessThan(1e-9);
    expect(Math.abs(choice.threshold! - Number(latest.upper_band))).toBeLessThan(1e-6);
  });

  it('keeps the plain chart when σ_z cannot be estimated (a one-point baseline, or no events)', () => {
    expect(attributeChartChoice('proportion', [10, 90], [100, 100], { baselineLength: 1 })).toEqual({ chart: 'p', rule: 'laney_sigma_z_overdispersion', sigmaZ: null, threshold: null });
    expect(attributeChartChoice('rate', [0, 0, 0], [10, 20, 30]).chart).toBe('u');
  });
});
