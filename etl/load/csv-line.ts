/** One RFC 4180 CSV line: fields with commas, quotes or line breaks are quoted, quotes doubled. */
export function formatCsvLine(fields: readonly string[]): string {
  return `${fields.map((field) => (/[",\r\n]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field)).join(',')}\n`;
}
