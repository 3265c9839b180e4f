import { formatNumber, formatValue } from '$charts/format';

export { formatNumber, formatValue };

const judgementWords: Record<string, string> = {
  better: 'Better than expected',
  worse: 'Worse than expected',
  higher: 'Higher than expected',
  lower: 'Lower than expected',
  'as-expected': 'As expected',
};

/** The words for a funnel judgement at 99.8 %, or for a withheld figure. */
export function judgementLabel(judgement: string | null | undefined, suppressed = false): string {
  if (suppressed) return 'Withheld (small numbers)';
  if (judgement == null) return 'Not judged';
  return judgementWords[judgement] ?? judgement;
}

export function judgementClass(judgement: string | null | undefined, suppressed = false): string {
  if (suppressed) return 'va-judgement va-judgement--suppressed';
  return `va-judgement va-judgement--${judgement ?? 'none'}`;
}

export const networkKindLabels: Record<string, string> = {
  strategic_clinical_network: 'Strategic clinical networks',
  operational_delivery_network: 'Operational delivery networks',
  primary_care_network: 'Primary care networks',
  cancer_network: 'Cancer networks',
  icb: 'Integrated care boards',
  custom: 'Other networks',
};

/** A value on the indicator's display scale, or a dash when withheld or missing. */
export function displayValue(value: number | null | undefined, unit: string, decimalPlaces = 1): string {
  return value == null || !Number.isFinite(value) ? '–' : formatValue(value, unit, decimalPlaces);
}

export function displayNumber(value: number | null | undefined, decimalPlaces = 2): string {
  return value == null || !Number.isFinite(value) ? '–' : formatNumber(value, decimalPlaces);
}

/** A profile entry's funnel judgement, or null when its funnel could not be drawn. */
export function funnelJudgement(funnel: { judgement?: string | null } | { reason: string }): string | null {
  return 'judgement' in funnel ? (funnel.judgement ?? null) : null;
}

/** Items grouped by a key, groups in the order their first item comes (the API's own order). */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = key(item);
    groups.set(group, [...(groups.get(group) ?? []), item]);
  }
  return [...groups];
}
