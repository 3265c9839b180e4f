import type { FunnelProvider, LimitPair } from '../../analysis/indicator-funnel';
import type { IndicatorDefinition } from '../../analysis/types';
import { toCsv } from '../../exports/csv';

/**
 * Decimal places a board paper shows an indicator's values to: three for a ratio or proportion on its natural
 * scale (SHMI 1.023, 0.852), one for a percentage, a rate per population or a mean (85.2 %, 312.4 per 100 000).
 */
export function valueDecimalPlaces(indicator: Pick<IndicatorDefinition, 'measureKind' | 'multiplier'>): number {
  const natural = indicator.multiplier === 1 && (indicator.measureKind === 'proportion' || indicator.measureKind === 'indirectly_standardised_ratio');
  return natural ? 3 : 1;
}

interface FunnelCsvRow extends FunnelProvider {
  inNetwork: boolean | null;
  qValue?: number | null;
}

const round = (value: number | null | undefined, places: number) => (value === null || value === undefined ? null : Number(value.toFixed(places)));
const limitColumns = ['lower95', 'upper95', 'lower998', 'upper998'] as const;

/**
 * The funnel as a CSV a board analyst can use: each row names its indicator and period; withheld providers
 * keep their name with every figure empty; values and limits at the indicator's decimal places, z to three,
 * q-values to four significant figures. With provider limits, each provider's own limits at its precision,
 * unadjusted and (when overdispersion is applied) adjusted. Text is defused against formulas by toCsv.
 */
export function funnelCsv(
  context: { indicator: string; period: string; decimalPlaces: number; providerLimits: boolean; fdr: boolean },
  providers: readonly FunnelCsvRow[],
): string {
  const places = context.decimalPlaces;
  const value = (x: number | null | undefined) => round(x, places);
  const limitCells = (prefix: string, pair: LimitPair | null | undefined) =>
    Object.fromEntries(limitColumns.map((column) => [`${prefix}${prefix ? column[0].toUpperCase() + column.slice(1) : column}`, value(pair?.[column])]));
  const rows: Record<string, string | number | boolean | null>[] = providers.map((p) => ({
    indicator: context.indicator,
    period: context.period,
    code: p.code,
    name: p.name,
    inNetwork: p.inNetwork,
    suppressed: p.suppressed,
    numerator: p.numerator,
    denominator: p.denominator,
    value: value(p.value),
    lower: value(p.lower),
    upper: value(p.upper),
    z: round(p.z, 3),
    adjustedZ: round(p.adjustedZ, 3),
    band: p.band,
    judgement: p.judgement,
    qValue: p.qValue === null || p.qValue === undefined ? null : Number(p.qValue.toPrecision(4)),
    ...limitCells('', p.limits?.unadjusted),
    ...limitCells('adjusted', p.limits?.adjusted),
  }));
  const columns = [
    'indicator', 'period', 'code', 'name', 'inNetwork', 'suppressed', 'numerator', 'denominator', 'value', 'lower', 'upper', 'z', 'adjustedZ', 'band', 'judgement',
    ...(context.fdr ? ['qValue'] : []),
    ...(context.providerLimits ? [...limitColumns, ...limitColumns.map((column) => `adjusted${column[0].toUpperCase()}${column.slice(1)}`)] : []),
  ];
  return toCsv(columns, rows);
}
