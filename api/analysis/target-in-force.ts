/** A published standard of an indicator over a date range (valid_to exclusive, null while in force). */
export interface PeriodTarget {
  kind: 'operational' | 'constitutional' | 'local_ambition';
  /** The network whose local ambition this is; null for a national standard. */
  network: string | null;
  validFrom: string;
  validTo: string | null;
  value: number;
  source: string;
  note: string | null;
}

export interface TargetInForce {
  value: number;
  /** `indicator`: the indicator's own single target, when no dated standard covers the date. */
  kind: 'operational' | 'constitutional' | 'indicator';
  source: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** One line to draw on a chart: a standard in force, named for the reader. */
export interface TargetLine {
  kind: PeriodTarget['kind'];
  label: string;
  value: number;
  source: string | null;
  validFrom: string | null;
  validTo: string | null;
}

const inForceOn = (target: PeriodTarget, onDate: string) => target.validFrom <= onDate && (target.validTo === null || onDate < target.validTo);

/**
 * The target in force on a date (a period's end): the operational standard of that planning year before the
 * constitutional one it moves toward, as the NHS is managed against the interim one; else the indicator's own
 * target; null when it has none. A local ambition is never the verdict's target: it is drawn, not judged by.
 */
export function targetInForce(indicator: { target: number | null; source: string | null }, targets: readonly PeriodTarget[], onDate: string): TargetInForce | null {
  const covering = targets.filter((target) => inForceOn(target, onDate));
  const chosen = covering.find((target) => target.kind === 'operational') ?? covering.find((target) => target.kind === 'constitutional');
  if (chosen?.kind === 'operational' || chosen?.kind === 'constitutional') return { value: chosen.value, kind: chosen.kind, source: chosen.source, validFrom: chosen.validFrom, validTo: chosen.validTo };
  return indicator.target === null ? null : { value: indicator.target, kind: 'indicator', source: indicator.source, validFrom: null, validTo: null };
}

const kindOrder: readonly PeriodTarget['kind'][] = ['constitutional', 'operational', 'local_ambition'];
const kindLabel = { constitutional: 'Constitutional standard', operational: 'Operational standard', local_ambition: 'Local ambition' } as const;

/**
 * Every standard in force on a date, to draw as lines: the constitutional standard, the interim operational
 * one and any local ambitions given (a network's own, when that network is asked for), in that order.
 */
export function targetLinesInForce(targets: readonly PeriodTarget[], onDate: string): TargetLine[] {
  return targets
    .filter((target) => inForceOn(target, onDate))
    .sort((a, b) => kindOrder.indexOf(a.kind) - kindOrder.indexOf(b.kind))
    .map((target) => ({
      kind: target.kind,
      label: target.network === null ? kindLabel[target.kind] : `${kindLabel[target.kind]} (${target.network})`,
      value: target.value,
      source: target.source,
      validFrom: target.validFrom,
      validTo: target.validTo,
    }));
}
