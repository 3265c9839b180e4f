import { defuseFormula } from '../csv-formula';

type Cell = string | number | boolean | null | undefined;

const field = (value: Cell) => {
  if (value === null || value === undefined) return '';
  const { text, quote } = typeof value === 'string' ? defuseFormula(value) : { text: String(value), quote: false };
  return quote || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
};

/**
 * A CSV download for a board paper: comment-free RFC 4180 with a header row, preceded by nothing, so it opens
 * cleanly in Excel; title, period, source and method travel in the file name and the response headers. Text
 * that Excel would run as a formula is defused (csv-formula.ts).
 */
export function toCsv<Row extends { [Column in Columns]: Cell }, Columns extends keyof Row & string>(columns: readonly Columns[], rows: readonly Row[]): string {
  return `${[columns.join(','), ...rows.map((row) => columns.map((column) => field(row[column])).join(','))].join('\r\n')}\r\n`;
}
