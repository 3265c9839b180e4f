/** A published standard of an indicator over a date range (valid_to exclusive, null while in force). */
export interface PeriodTarget {
  kind: 'operational' | 'constitutional';
  validFrom: string;
  validTo: string | null;
  value: number;
  source: string;
  note: string | null;
}

export interface TargetInForce {
  value: number;
  /** `indicator`: the indicator's own single target, when no dated standard covers the date. */
  kind: PeriodTarget['kind'] | 'indicator';
  source: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/**
 * The target in force on a date (a period's end): the operational standard of that planning year before the
 * constitutional one it moves toward, as the NHS is managed against the interim one; else the indicator's own
 * target; null when it has none.
 */
export function targetInForce(indicator: { target: number | null; source: string | null }, targets: readonly PeriodTarget[], onDate: string): TargetInForce | null {
  const covering = targets.filter((target) => target.validFrom <= onDate && (target.validTo === null || onDate < target.validTo));
  const chosen = covering.find((target) => target.kind === 'operational') ?? covering.find((target) => target.kind === 'constitutional');
  if (chosen) return { value: chosen.value, kind: chosen.kind, source: chosen.source, validFrom: chosen.validFrom, validTo: chosen.validTo };
  return indicator.target === null ? null : { value: indicator.target, kind: 'indicator', source: indicator.source, validFrom: null, validTo: null };
}
