import { describe, expect, it } from 'vitest';
import { rFixture } from '../../../test/support/r-fixture';
import { StatsInputError } from '../errors';
import { laneySigmaZ, pPrimeChart, uPrimeChart } from './laney-chart';
import { pChart } from './p-chart';

// Laney p′ and u′ limits computed from first principles in R on RXH's A&E series and seeded binomial and
// Poisson series: test/fixtures/spc-laney/generate.R.
const fixture = (file: string) => rFixture(`spc-laney/${file}`);
const limits = fixture('laney-limits.csv');
const sigmaZs = fixture('laney-sigma-z.csv');
const cases = [...new Set(limits.map((row) => row.case))];

const within = (actual: number | null, expected: string) => expect(Math.abs(actual! - Number(expected))).toBeLessThan(1e-9);

describe('pPrimeChart and uPrimeChart', () => {
  it.each(cases)('%s: centre, σ_z and every limit as R computes them', (name) => {
    const rows = limits.filter((row) => row.case === name);
    const segments = sigmaZs.filter((row) => row.case === name);
    const rebaseAt = segments.slice(1).map((segment) => rows.findIndex((row) => row.segment === segment.segment));
    const baselineLength = name.includes('baseline6') ? 6 : undefined;
    const chartOf = rows[0].kind === 'pprime' ? pPrimeChart : uPrimeChart;
    const chart = chartOf(rows.map((row) => Number(row.numerator)), rows.map((row) => Number(row.denominator)), { rebaseAt, baselineLength });
    expect(chart.segments).toHaveLength(segments.length);
    chart.segments.forEach((segment, i) => {
      within(segment.centre, segments[i].centre);
      within(segment.sigmaZ!, segments[i].sigma_z);
      expect(segment.baselineLength).toBe(Number(segments[i].baseline_length));
    });
    chart.points.forEach((point, i) => {
      const row = rows[i];
      expect(point.segment).toBe(Number(row.segment));
      within(point.value, row.value);
      within(point.centre, row.centre);
      within(point.lowerLimit, row.lower_limit);
      within(point.upperLimit, row.upper_limit);
      within(point.lowerTwoSigma, row.lower_two_sigma);
      within(point.upperTwoSigma, row.upper_two_sigma);
    });
  });

  it("widens the p chart's limits by σ_z exactly: RXH's 4-hour performance, σ_z 5.685", () => {
    const rows = limits.filter((row) => row.case === 'ae_RXH_4hr_pprime');
    const numerators = rows.map((row) => Number(row.numerator));
    const denominators = rows.map((row) => Number(row.denominator));
    const plain = pChart(numerators, denominators).points[0];
    const laney = pPrimeChart(numerators, denominators).points[0];
    const sigmaZ = Number(rows[0].sigma_z);
    expect((laney.upperLimit! - laney.centre) / (plain.upperLimit! - plain.centre)).toBeCloseTo(sigmaZ, 9);
  });

  it('computes σ_z as the mean moving range of z over 1.128 (hand computed)', () => {
    // Moving ranges 2, 1, 3: mean 2, σ_z = 2 / 1.128 = 1.7730.
    expect(laneySigmaZ([0, 2, 1, -2])).toBeCloseTo(2 / 1.128, 12);
    expect(laneySigmaZ([1])).toBeNull();
    expect(laneySigmaZ([Number.NaN, Number.NaN])).toBeNull();
  });

  it('leaves a one-point segment after a rebase without limits: no moving range to estimate σ_z', () => {
    const { segments, points } = pPrimeChart([10, 12, 30, 5], [100, 100, 100, 100], { rebaseAt: [3] });
    expect(segments[1]).toMatchObject({ start: 3, baselineLength: 1, sigmaZ: null });
    expect(points[3]).toMatchObject({ centre: 0.05, lowerLimit: null, upperLimit: null, lowerTwoSigma: null, upperTwoSigma: null });
  });

  it('collapses the limits onto the centre when p̄ is 0, as the p chart does', () => {
    const { segments, points } = pPrimeChart([0, 0, 0], [10, 20, 30]);
    expect(segments[0].sigmaZ).toBeNull();
    expect(points[1]).toMatchObject({ centre: 0, lowerLimit: 0, upperLimit: 0 });
  });

  it('rejects a one-point baseline and invalid counts with the shared message format', () => {
    expect(() => pPrimeChart([1, 2], [10, 10], { baselineLength: 1 })).toThrow(new StatsInputError('pPrimeChart requires a baseline length that is an integer of at least 2'));
    expect(() => pPrimeChart([11, 2], [10, 10])).toThrow('pPrimeChart requires numerators no greater than their denominators');
    expect(() => uPrimeChart([1, 2], [10, 0])).toThrow('uPrimeChart requires denominators greater than zero');
  });
});
