import { dobsonInterval } from '../../api/stats/intervals/dobson-interval';
import { europeanStandardPopulation2013 } from '../../api/stats/intervals/esp2013';
import { meanInterval } from '../../api/stats/intervals/mean-interval';
import type { IndicatorModel } from './demo-indicators';
import type { DemoProvider } from './demo-reference';
import type { ObservationRow, PeriodRow } from './demo-rows';
import { type PlantedEffect, plantedShift } from './planted-effects';
import { createRandom, deriveSeed, type Random } from './random';

/**
 * Draws the observations: for each indicator, provider and period, the provider's true value is the baseline
 * shifted on the link scale by its random effect plus any planted effect, and the published figures are drawn
 * around it (binomial, Poisson, casemix-expected Poisson, age-banded Poisson, or a sample mean).
 * Each indicator–provider pair has its own random streams, so one change does not reshuffle everything.
 */
export interface SimulationInput {
  seed: number;
  models: readonly IndicatorModel[];
  providers: readonly DemoProvider[];
  periods: readonly PeriodRow[];
  effects: readonly PlantedEffect[];
  controlCodes: readonly string[];
}

type Measures = Omit<ObservationRow, 'indicator_code' | 'organisation_code' | 'period'>;
const noMeasures: Measures = { numerator: null, denominator: null, observed: null, expected: null, value: null, value_lower: null, value_upper: null };

// Quarter-to-quarter wobble in activity (admissions, lists), about ±4 %.
const volumeNoiseSd = 0.04;

const round = (x: number, digits: number) => Number(x.toFixed(digits));
const logit = (p: number) => Math.log(p / (1 - p));
const inverseLogit = (x: number) => 1 / (1 + Math.exp(-x));

/** SHMI-like casemix: five risk groups with fixed national risks; a trust's casemix tilts its mix towards the riskier ones. */
const riskGroups = [
  { share: 0.4, risk: 0.001 },
  { share: 0.28, risk: 0.006 },
  { share: 0.18, risk: 0.025 },
  { share: 0.1, risk: 0.08 },
  { share: 0.04, risk: 0.22 },
];
function expectedDeathsPerSpell(casemix: number): number {
  const weights = riskGroups.map((group, k) => group.share * Math.exp(casemix * (k - 2)));
  const total = weights.reduce((sum, w) => sum + w, 0);
  return riskGroups.reduce((sum, group, k) => sum + (weights[k] / total) * group.risk, 0);
}

/**
 * Age profiles of practice lists (per cent in each ESP2013 band, 0–4 … 90+): a young inner-city list and an
 * older outer-suburban one. A practice mixes them by its youngShare.
 */
const youngProfile = [6, 5.2, 4.6, 4.4, 7.5, 11.5, 11.5, 9.5, 7.8, 6.5, 5.6, 4.6, 3.6, 2.7, 2.2, 1.6, 1.1, 0.7, 0.4];
const olderProfile = [5.2, 5.8, 5.9, 5.6, 5.2, 5.8, 6.4, 6.5, 6.3, 6.2, 6.8, 6.9, 6.2, 5.4, 5.2, 4.4, 3, 1.9, 1.1];
/** Emergency admissions for chronic ambulatory care sensitive conditions per 100,000 per quarter, by the same bands. */
const acsRatePer100k = [120, 80, 60, 60, 60, 60, 70, 80, 110, 150, 200, 280, 380, 520, 700, 960, 1300, 1700, 2000];

function ageBandShares(youngShare: number): number[] {
  const mixed = youngProfile.map((young, band) => youngShare * young + (1 - youngShare) * olderProfile[band]);
  const total = mixed.reduce((sum, x) => sum + x, 0);
  return mixed.map((x) => x / total);
}

/** The published figures for one provider and quarter, or null when none would be published. */
function observe(model: IndicatorModel, provider: DemoProvider, shift: number, random: Random): Measures | null {
  const size = model.volume(provider) * Math.exp(random.normal(0, volumeNoiseSd));
  const denominator = Math.max(1, Math.round(size));
  switch (model.row.measure_kind) {
    case 'proportion': {
      const p = inverseLogit(logit(model.baseline) + shift);
      return { ...noMeasures, numerator: random.binomial(denominator, p), denominator };
    }
    case 'crude_rate':
      return { ...noMeasures, numerator: random.poisson(denominator * model.baseline * Math.exp(shift)), denominator };
    case 'indirectly_standardised_ratio': {
      // Expected deaths come from the casemix model alone; the provider's true ratio multiplies them.
      const expected = round(denominator * expectedDeathsPerSpell(provider.casemix), 2);
      return { ...noMeasures, observed: random.poisson(expected * model.baseline * Math.exp(shift)), expected };
    }
    case 'directly_standardised_rate':
      return directlyStandardised(size, provider.youngShare, shift, random);
    case 'mean':
      return sampleMean(model, denominator, shift, random);
  }
}

/**
 * Events by age band, standardised with Dobson's interval. Below 10 events PHE publishes no rate, and the ETL
 * refuses a standardised rate without a value, so such practice-quarters are left out, as in published data.
 */
function directlyStandardised(listSize: number, youngShare: number, shift: number, random: Random): Measures | null {
  const strata = ageBandShares(youngShare).map((share, band) => {
    const population = Math.max(1, Math.round(listSize * share));
    const count = random.poisson(population * (acsRatePer100k[band] / 100_000) * Math.exp(shift));
    return { count, population, standardPopulation: europeanStandardPopulation2013[band].population };
  });
  const dsr = dobsonInterval(strata, 100_000);
  if (dsr.suppressedReason !== null) return null;
  return {
    ...noMeasures,
    numerator: dsr.totalCount,
    denominator: strata.reduce((sum, s) => sum + s.population, 0),
    value: round(dsr.estimate, 3),
    value_lower: round(dsr.lower, 3),
    value_upper: round(dsr.upper, 3),
  };
}

/**
 * A sample mean of n spells without drawing each one: by the central limit theorem the mean is normal about
 * the true mean with sd σ/√n, and the sample sd is σ·√(χ²ₙ₋₁/(n − 1)), drawn by its normal approximation.
 */
function sampleMean(model: IndicatorModel, n: number, shift: number, random: Random): Measures {
  const trueMean = model.baseline * Math.exp(shift);
  const trueSd = trueMean * (model.coefficientOfVariation ?? 1);
  const mean = random.normal(trueMean, trueSd / Math.sqrt(n));
  const sd = trueSd * Math.sqrt(Math.max(0, 1 + Math.sqrt(2 / (n - 1)) * random.normal()));
  const interval = meanInterval({ mean, sd, n });
  return { ...noMeasures, denominator: n, value: round(mean, 3), value_lower: round(interval.lower, 3), value_upper: round(interval.upper, 3) };
}

/** Counts at their expected value, rounded; activity and sample means still drawn from the pair's own stream. */
const expectedCounts = (random: Random): Random => ({
  uniform: () => random.uniform(),
  normal: (mean, sd) => random.normal(mean, sd),
  poisson: (mean) => Math.round(mean),
  binomial: (n, p) => Math.round(n * p),
});

/** A provider reports a period only when it was open for the whole of it. */
const openThroughout = (provider: DemoProvider, period: PeriodRow) =>
  (provider.openedOn === null || provider.openedOn <= period.start_date) && (provider.closedOn === null || provider.closedOn >= period.end_date);

const reports = (model: IndicatorModel, provider: DemoProvider) =>
  provider.level === model.level && (model.service === undefined || provider.services.includes(model.service));

export function simulateObservations(input: SimulationInput): ObservationRow[] {
  const labels = input.periods.map((p) => p.label);
  const rows: ObservationRow[] = [];
  for (const model of input.models) {
    const code = model.row.code;
    for (const provider of input.providers) {
      if (!reports(model, provider)) continue;
      // Controls and planted providers have no random effect, so their true deviation is known exactly.
      const fixed = input.controlCodes.includes(provider.code) ||
        input.effects.some((e) => e.indicatorCode === code && e.organisationCode === provider.code);
      const randomEffect = fixed ? 0 : createRandom(deriveSeed(input.seed, 'random-effect', code, provider.code)).normal(0, model.randomEffectSd);
      const stream = createRandom(deriveSeed(input.seed, 'observations', code, provider.code));
      const noiseFree = input.effects.some((e) => e.indicatorCode === code && e.organisationCode === provider.code && e.noiseFree === true);
      const random = noiseFree ? expectedCounts(stream) : stream;
      input.periods.forEach((period, index) => {
        if (!openThroughout(provider, period)) return;
        const shift = randomEffect + plantedShift(input.effects, code, provider.code, index, labels);
        const measures = observe(model, provider, shift, random);
        if (measures) rows.push({ indicator_code: code, organisation_code: provider.code, period: period.label, ...measures });
      });
    }
  }
  return rows;
}
