import type { DemoProvider, TrustService } from './demo-reference';
import type { IndicatorRow } from './demo-rows';

/**
 * The 12 demo indicators and the model each is drawn from. Every provider has a persistent random effect
 * on the link scale (logit for proportions, log otherwise) with sd `randomEffectSd`, chosen so that at a
 * typical denominator the between-provider variance is 0.5–3 times the sampling variance, i.e. Spiegelhalter's
 * φ ≈ 1.5–4 — real overdispersion, as NHS data shows, but not so much that planted effects drown in it.
 * Volumes are per quarter: trusts scale them by their size, practices by their list.
 */
export interface IndicatorModel {
  row: IndicatorRow;
  level: DemoProvider['level'];
  /** Trusts report the indicator only when they run this service. */
  service?: TrustService;
  /** Proportion p; events per unit of exposure; mean; 1 for ratios and directly standardised rates. */
  baseline: number;
  /** Expected denominator per quarter (patients, bed days, spells, eligible people) for this provider. */
  volume: (provider: DemoProvider) => number;
  randomEffectSd: number;
  /** Means only: the sd of one patient's value as a multiple of the mean (length of stay is right-skewed). */
  coefficientOfVariation?: number;
}

const source = 'Variation Atlas synthetic demo data';

function indicator(
  code: string, name: string, domain: string, measureKind: IndicatorRow['measure_kind'], polarity: IndicatorRow['polarity'],
  unit: string, definition: string, target: number | null = null,
): IndicatorRow {
  const multiplier = unit === '%' ? 100 : unit.startsWith('per 100,000') ? 100_000 : 1;
  return { code, name, domain, measure_kind: measureKind, polarity, multiplier, unit, definition, source, target };
}

const trustVolume = (atTypicalSize: number) => (provider: DemoProvider) => atTypicalSize * provider.scale;

export const indicatorModels: IndicatorModel[] = [
  {
    row: indicator('VA-SHMI', 'Hospital mortality ratio (SHMI-like)', 'Mortality', 'indirectly_standardised_ratio', 'lower_is_better',
      'ratio', 'Deaths in hospital or within 30 days of discharge divided by the deaths expected from a casemix model of age, admission method and diagnosis group'),
    level: 'trust', service: 'mortality', baseline: 1, volume: trustVolume(9_000), randomEffectSd: 0.09,
  },
  {
    row: indicator('VA-HIPFX-MORT30', '30-day mortality after hip fracture', 'Mortality', 'proportion', 'lower_is_better',
      '%', 'Patients aged 60 and over admitted with a hip fracture who died within 30 days of admission'),
    level: 'trust', service: 'hip_fracture', baseline: 0.065, volume: trustVolume(80), randomEffectSd: 0.45,
  },
  {
    row: indicator('VA-READM30', 'Emergency readmissions within 30 days', 'Readmissions', 'proportion', 'lower_is_better',
      '%', 'Discharges followed by an emergency readmission to any trust within 30 days'),
    level: 'trust', service: 'inpatient', baseline: 0.125, volume: trustVolume(8_000), randomEffectSd: 0.05,
  },
  {
    row: indicator('VA-CC-READM48', 'Unplanned readmissions to critical care within 48 hours', 'Critical care', 'proportion', 'lower_is_better',
      '%', 'Discharges from an adult critical care unit followed by an unplanned readmission to critical care within 48 hours'),
    level: 'trust', service: 'critical_care', baseline: 0.013, volume: trustVolume(350), randomEffectSd: 0.5,
  },
  {
    row: indicator('VA-CANCER62', 'Cancer treatment within 62 days of urgent referral', 'Cancer', 'proportion', 'higher_is_better',
      '%', 'Patients starting a first definitive cancer treatment within 62 days of an urgent suspected cancer referral', 85),
    level: 'trust', service: 'cancer', baseline: 0.72, volume: trustVolume(220), randomEffectSd: 0.18,
  },
  {
    row: indicator('VA-FDS28', 'Cancer faster diagnosis standard (28 days)', 'Cancer', 'proportion', 'higher_is_better',
      '%', 'Patients told they have cancer, or that cancer is ruled out, within 28 days of an urgent referral'),
    level: 'trust', service: 'cancer', baseline: 0.77, volume: trustVolume(2_200), randomEffectSd: 0.07,
  },
  {
    row: indicator('VA-AE4H', 'A&E attendances seen within 4 hours', 'Urgent and emergency care', 'proportion', 'higher_is_better',
      '%', 'A&E attendances (all types) admitted, transferred or discharged within 4 hours of arrival', 78),
    level: 'trust', service: 'emergency', baseline: 0.72, volume: trustVolume(18_000), randomEffectSd: 0.03,
  },
  {
    row: indicator('VA-CDIFF-HO', 'Hospital-onset C. difficile infection', 'Infection prevention', 'crude_rate', 'lower_is_better',
      'per 100,000 bed days', 'Hospital-onset healthcare-associated C. difficile cases (specimen taken on day 3 or later) per 100,000 occupied bed days'),
    level: 'trust', service: 'inpatient', baseline: 14 / 100_000, volume: trustVolume(40_000), randomEffectSd: 0.45,
  },
  {
    row: indicator('VA-LOS', 'Mean length of stay', 'Patient flow', 'mean', 'no_judgement',
      'days', 'Mean length of stay in days of spells with at least one overnight stay, discharged in the quarter'),
    level: 'trust', service: 'inpatient', baseline: 4.6, volume: trustVolume(7_000), randomEffectSd: 0.025, coefficientOfVariation: 1.4,
  },
  {
    row: indicator('VA-DM-HBA1C', 'Diabetes: HbA1c 58 mmol/mol or less', 'Primary care: long-term conditions', 'proportion', 'higher_is_better',
      '%', 'Patients on the diabetes register whose last HbA1c in the preceding 12 months was 58 mmol/mol or less'),
    // Older lists carry more diabetes: prevalence 5 % (youngest) to 8.5 % (oldest).
    level: 'gp_practice', baseline: 0.62, volume: (p) => p.scale * (0.05 + 0.035 * (1 - p.youngShare)), randomEffectSd: 0.12,
  },
  {
    row: indicator('VA-CERVICAL', 'Cervical screening coverage (25–49)', 'Primary care: screening', 'proportion', 'higher_is_better',
      '%', 'Eligible women aged 25–49 screened adequately within the last 3.5 years', 80),
    // Younger lists hold more women aged 25–49: 16 % to 24 % of the list.
    level: 'gp_practice', baseline: 0.66, volume: (p) => p.scale * (0.16 + 0.08 * p.youngShare), randomEffectSd: 0.07,
  },
  {
    row: indicator('VA-ACS-DSR', 'Emergency admissions for ambulatory care sensitive conditions', 'Primary care: admissions', 'directly_standardised_rate', 'lower_is_better',
      'per 100,000 registered population', 'Emergency admissions for chronic ambulatory care sensitive conditions in the quarter, directly age-standardised to the 2013 European Standard Population (19 bands)'),
    level: 'gp_practice', baseline: 1, volume: (p) => p.scale, randomEffectSd: 0.3,
  },
];
