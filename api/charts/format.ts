/**
 * Text for labels, tooltips and descriptions, the same in Node and the browser: Intl with the
 * en-GB locale (thousands separated by commas), "95 %" with the space the product writes, and
 * "to" between interval ends because an en dash reads as a minus beside negative values.
 */
import type { TooltipComponentFormatterCallbackParams } from 'echarts';
import type { TooltipFields } from './types';

const formatters = new Map<number, Intl.NumberFormat>();

export function formatNumber(value: number, decimalPlaces: number): string {
  let formatter = formatters.get(decimalPlaces);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-GB', { minimumFractionDigits: decimalPlaces, maximumFractionDigits: decimalPlaces });
    formatters.set(decimalPlaces, formatter);
  }
  return formatter.format(value);
}

/** "12.3 %", "45.6 per 100,000", or the bare number without a unit. */
export function formatValue(value: number, unit: string, decimalPlaces: number): string {
  const number = formatNumber(value, decimalPlaces);
  return unit ? `${number} ${unit}` : number;
}

/**
 * "95", "99.8": a coverage as people write it. api/stats has the same rule (coverageLabel), but
 * charts may import only types from api/stats, so the one line is repeated here.
 */
export function coveragePercent(coverage: number): string {
  return String(Number((coverage * 100).toPrecision(12)));
}

/** "95 % interval: 10.1 to 14.3 %". */
export function formatInterval(lower: number, upper: number, unit: string, decimalPlaces: number, coverage: number): string {
  return `${coveragePercent(coverage)} % interval: ${formatNumber(lower, decimalPlaces)} to ${formatValue(upper, unit, decimalPlaces)}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);
}

function hasTooltipFields(data: unknown): data is TooltipFields {
  return typeof data === 'object' && data !== null && 'tooltipTitle' in data && 'tooltipLines' in data;
}

/**
 * The tooltip of every chart: the data item's own `tooltipTitle` and `tooltipLines` (plain text,
 * escaped here), so the dashboard can show the same words in its own table without ECharts.
 * Items without those fields (limit lines) show nothing.
 */
export function formatTooltip(params: TooltipComponentFormatterCallbackParams): string {
  const item = Array.isArray(params) ? params[0] : params;
  const data: unknown = item?.data;
  if (!hasTooltipFields(data)) return '';
  return [`<strong>${escapeHtml(data.tooltipTitle)}</strong>`, ...data.tooltipLines.map(escapeHtml)].join('<br/>');
}
