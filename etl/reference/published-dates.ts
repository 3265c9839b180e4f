/** Dates as NHS England publishes them, read to ISO (YYYY-MM-DD); null when the text is not a real date. */

const iso = (year: number, month: number, day: number): string | null => {
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day ? date.toISOString().slice(0, 10) : null;
};

/** ODS files: 20171001. */
export function compactDate(text: string): string | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  return match ? iso(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

const months = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** NHS Digital extracts (EXTRACT_DATE): 01Jan2022. */
export function extractDate(text: string): string | null {
  const match = /^(\d{2})([A-Za-z]{3})(\d{4})$/.exec(text);
  const month = match ? months.indexOf(match[2].toLowerCase()) + 1 : 0;
  return match && month > 0 ? iso(Number(match[3]), month, Number(match[1])) : null;
}

/** --as-of: 2024-03-31. */
export function isoDate(text: string): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  return match ? iso(Number(match[1]), Number(match[2]), Number(match[3])) : null;
}

/** The day after an inclusive close date: memberships end exclusively. */
export function dayAfter(date: string): string {
  const next = new Date(`${date}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  return next.toISOString().slice(0, 10);
}
