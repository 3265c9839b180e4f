/**
 * The true effects planted in the demo data, for tests and users to check that the product finds them.
 * `size` is on the link scale of the indicator (log odds for proportions, log for ratios, rates and means):
 * the provider's true value is the network centre shifted by `size` in `direction`. Planted providers have
 * no random effect on their indicator, so the planted size is their whole true deviation from the centre.
 * Sizes were chosen so outliers sit beyond the 99.8 % limit even after overdispersion adjustment:
 * |size| > 3.09·√(s² + τ²) + 3·s with s the provider's standard error and τ the random-effect sd.
 * PLANTED-EFFECTS.md describes the same list for people; a test keeps the two in step.
 */
export interface PlantedEffect {
  indicatorCode: string;
  organisationCode: string;
  /** `persistent`: a constant shift sized to lie between the 95 % and 99.8 % limits, found only by persistence. */
  kind: 'outlier' | 'drift' | 'step' | 'persistent';
  direction: 'higher' | 'lower';
  /** The first period the effect applies to (outliers: the whole series). */
  fromPeriod: string;
  /** Outliers and steps: the constant shift. Drifts: the shift reached in the last period (linear growth). */
  size: number;
  /**
   * Counts published at their expected value (rounded), without binomial or Poisson noise, so where the provider
   * falls against limits and when a CUSUM signals do not depend on the seed. Denominators still vary.
   */
  noiseFree?: boolean;
  note: string;
}

export const plantedEffects: PlantedEffect[] = [
  {
    indicatorCode: 'VA-SHMI', organisationCode: 'RZB', kind: 'outlier', direction: 'higher', fromPeriod: '2023/24 Q1', size: 0.5,
    note: 'Large teaching trust with mortality 65 % above expected (O/E ≈ 1.65) throughout',
  },
  {
    indicatorCode: 'VA-SHMI', organisationCode: 'RZI', kind: 'drift', direction: 'higher', fromPeriod: '2023/24 Q3', size: 0.48,
    note: 'Mortality ratio rising by 0.06 on the log scale each quarter for 8 quarters, to O/E ≈ 1.6',
  },
  {
    indicatorCode: 'VA-READM30', organisationCode: 'RZH', kind: 'drift', direction: 'higher', fromPeriod: '2024/25 Q1', size: 0.3,
    note: 'Readmissions rising by 0.05 log odds a quarter over the last 6 quarters, from 12.5 % to about 16 %',
  },
  {
    indicatorCode: 'VA-FDS28', organisationCode: 'RZC', kind: 'outlier', direction: 'lower', fromPeriod: '2023/24 Q1', size: 0.4,
    note: 'Faster diagnosis about 69 % against a network centre of 77 %',
  },
  {
    indicatorCode: 'VA-FDS28', organisationCode: 'RZD', kind: 'outlier', direction: 'higher', fromPeriod: '2023/24 Q1', size: 0.4,
    note: 'A better-than-expected outlier: faster diagnosis about 83 %',
  },
  {
    indicatorCode: 'VA-CANCER62', organisationCode: 'RZA', kind: 'outlier', direction: 'lower', fromPeriod: '2023/24 Q1', size: 1,
    note: '62-day performance about 49 % against a network centre of 72 %',
  },
  {
    indicatorCode: 'VA-LOS', organisationCode: 'RZE', kind: 'outlier', direction: 'higher', fromPeriod: '2023/24 Q1', size: 0.15,
    note: 'Mean length of stay 16 % longer (about 5.3 days against 4.6); the indicator has no polarity, so "higher", not "worse"',
  },
  {
    indicatorCode: 'VA-AE4H', organisationCode: 'RZP', kind: 'step', direction: 'higher', fromPeriod: '2024/25 Q3', size: 0.35,
    note: 'An improvement from 72 % to about 78 % seen within 4 hours, sustained from 2024/25 Q3',
  },
  {
    indicatorCode: 'VA-CERVICAL', organisationCode: 'Z10123', kind: 'outlier', direction: 'lower', fromPeriod: '2023/24 Q1', size: 0.7,
    note: 'Practice-level outlier: cervical screening coverage about 49 % against a centre of 66 %',
  },
  {
    indicatorCode: 'VA-DM-HBA1C', organisationCode: 'Z10045', kind: 'persistent', direction: 'lower', fromPeriod: '2023/24 Q1', size: 0.24, noiseFree: true,
    note: 'Modestly worse every quarter: adjusted z about −2.5, outside the 95 % limit but inside 99.8 %; only persistence (the CUSUM) finds it',
  },
  {
    indicatorCode: 'VA-DM-HBA1C', organisationCode: 'Z10113', kind: 'drift', direction: 'lower', fromPeriod: '2024/25 Q1', size: 0.83, noiseFree: true,
    note: 'Small practice worsening steadily over the last 6 quarters; the CUSUM signals a quarter before the funnel puts it beyond 99.8 %',
  },
];

/** Providers with no planted effect and no random effect on any indicator: they sit at the centre apart from chance. */
export const controlCodes = ['RZG', 'RZS', 'TZC', 'Z10007', 'Z10120', 'Z10260'];

/** The planted shift on the link scale for one provider, indicator and period (by index into the ordered periods). */
export function plantedShift(effects: readonly PlantedEffect[], indicatorCode: string, organisationCode: string,
  periodIndex: number, periodLabels: readonly string[]): number {
  let shift = 0;
  for (const effect of effects) {
    if (effect.indicatorCode !== indicatorCode || effect.organisationCode !== organisationCode) continue;
    const from = periodLabels.indexOf(effect.fromPeriod);
    if (from < 0) throw new RangeError(`planted effect starts in unknown period ${effect.fromPeriod}`);
    if (periodIndex < from) continue;
    const sign = effect.direction === 'higher' ? 1 : -1;
    const fraction = effect.kind === 'drift' ? (periodIndex - from + 1) / (periodLabels.length - from) : 1;
    shift += sign * effect.size * fraction;
  }
  return shift;
}
