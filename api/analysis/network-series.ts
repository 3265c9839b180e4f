import { pooledValue } from './pooled-value';
import { spcKind, type SeriesObservation } from './provider-spc';
import type { IndicatorDefinition, ObservationFigures } from './types';

/** One network member's figures in one period, as disclosure control lets them out (withheld ones are all null). */
export interface MemberObservation extends ObservationFigures {
  period: string;
  startDate: string;
  endDate: string;
}

export interface NetworkSeriesObservation extends SeriesObservation {
  /** Members whose figures went into the period's pooled value. */
  providers: number;
}

const noFigures = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };

/**
 * A network's pooled figures for one period, in the form its SPC chart takes (`spcKind`): the members' counts
 * summed for p- and u-charts (Σx and Σn; ΣO and ΣE for a ratio), so the charted value is the pooled value of
 * `pooledValue`; for published rates and means, the inverse-variance pooled value with its interval.
 */
export function pooledFigures(indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>, rows: readonly ObservationFigures[]): ObservationFigures & { providers: number } {
  if (spcKind(indicator.measureKind) === 'xmr') {
    const pooled = pooledValue(indicator, rows);
    return { ...noFigures, value: pooled.value, valueLower: pooled.lower, valueUpper: pooled.upper, providers: pooled.providers };
  }
  const [events, exposure] = indicator.measureKind === 'indirectly_standardised_ratio' ? (['observed', 'expected'] as const) : (['numerator', 'denominator'] as const);
  const counted = rows.filter((row) => row[events] !== null && row[exposure] !== null);
  if (counted.length === 0) return { ...noFigures, providers: 0 };
  const total = (field: typeof events | typeof exposure) => counted.reduce((sum, row) => sum + row[field]!, 0);
  return { ...noFigures, [events]: total(events), [exposure]: total(exposure), providers: counted.length };
}

/**
 * The network's series over time: its members' figures (members on each period's last day) pooled period by
 * period, oldest first, as `providerSpc` charts a single provider's. Rows must come ordered by period.
 */
export function networkSeries(indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>, rows: readonly MemberObservation[]): NetworkSeriesObservation[] {
  const byPeriod = new Map<string, MemberObservation[]>();
  for (const row of rows) {
    const group = byPeriod.get(row.period);
    if (group) group.push(row);
    else byPeriod.set(row.period, [row]);
  }
  return [...byPeriod.values()].map((group) => ({
    period: group[0].period,
    startDate: group[0].startDate,
    endDate: group[0].endDate,
    // Pooled over published members only, each count 0 or at least the threshold, so the sum is never small.
    suppressed: false,
    ...pooledFigures(indicator, group),
  }));
}
