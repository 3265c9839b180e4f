import { defuseFormula } from '../../api/csv-formula';

/** A value a CSV field may hold; null is written as an empty field. */
export type CsvValue = string | number | boolean | null;

/**
 * Numbers as plain decimals: String() would write 1e-7 or 1e+21, which many CSV readers and PostgreSQL's
 * COPY into a numeric column read differently or not at all. No thousands separators, ever.
 */
export function formatCsvNumber(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`a CSV number must be finite, got ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  if (Math.abs(value) >= 1e21) throw new RangeError(`a CSV number must be below 1e21 to be written in plain decimals, got ${value}`);
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** RFC 4180: a field holding a comma, a double quote or a line break is quoted, its quotes doubled. */
export function formatCsvField(value: CsvValue): string {
  if (value === null) return '';
  const text = typeof value === 'number' ? formatCsvNumber(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** A header row and one line per row, each ended by a line feed (the ETL reader takes LF or CRLF). */
export function toCsv<Column extends string, Row extends { [K in Column]: CsvValue }>(columns: readonly Column[], rows: readonly Row[]): string {
  const lines = [columns.join(','), ...rows.map((row) => columns.map((column) => formatCsvField(row[column])).join(','))];
  return `${lines.join('\n')}\n`;
}

/**
 * One CSV line of fields, ended by a line feed, for a person to open in a spreadsheet (the rejects file): text a
 * spreadsheet would run as a formula is defused. Files the ETL reads back (toCsv) keep their text exact.
 */
export function formatSpreadsheetLine(fields: readonly CsvValue[]): string {
  return `${fields.map(spreadsheetField).join(',')}\n`;
}

function spreadsheetField(value: CsvValue): string {
  if (typeof value !== 'string') return formatCsvField(value);
  const { text, quote } = defuseFormula(value);
  return quote ? `"${text.replaceAll('"', '""')}"` : formatCsvField(text);
}
