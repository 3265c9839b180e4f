/** What a spreadsheet runs as a formula when a cell begins with it (OWASP, CSV injection). */
const formulaStart = /^[=+\-@\t\r]/;

/** A plain decimal, which a spreadsheet reads as a number whatever its sign: a z of -2.5 stays a number. */
const plainNumber = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell for a CSV that people open in Excel: one a spreadsheet would run as a formula (an organisation
 * named `=HYPERLINK(…)`) gets OWASP's prefix, a single quote, so it shows as the text it is; `quote` says the
 * writer must quote it. Numbers are never text here, so the writers pass them by.
 */
export function defuseFormula(text: string): { text: string; quote: boolean } {
  if (!formulaStart.test(text) || plainNumber.test(text)) return { text, quote: false };
  return { text: `'${text}`, quote: true };
}
