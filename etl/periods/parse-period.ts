/** A reporting period parsed from its label: inclusive ISO start and end dates and a granularity. */
export interface ParsedPeriod {
  label: string;
  startDate: string;
  endDate: string;
  granularity: 'month' | 'quarter' | 'financial_year' | 'calendar_year' | 'rolling_12_months' | 'rolling_36_months' | 'other';
}

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (year: number, month: number, day: number) => `${year}-${pad(month)}-${pad(day)}`;
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
const monthEnd = (year: number, month: number) => iso(year, month, lastDay(year, month));
const monthNames = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** The calendar year in which a financial year "YYYY/YY" starts, checking that the two halves follow on. */
function financialYearStart(first: string, second: string): number | undefined {
  const start = Number(first);
  const follows = second.length === 2 ? (start + 1) % 100 === Number(second) : Number(second) === start + 1;
  return follows ? start : undefined;
}

function validDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  return month >= 1 && month <= 12 && day >= 1 && day <= lastDay(year, month);
}

function monthsSpanned(startDate: string, endDate: string): number {
  const [sy, sm] = startDate.split('-').map(Number);
  const [ey, em] = endDate.split('-').map(Number);
  return (ey - sy) * 12 + (em - sm) + 1;
}

function rangeGranularity(startDate: string, endDate: string): ParsedPeriod['granularity'] {
  const wholeMonths = startDate.endsWith('-01') && endDate === monthEnd(Number(endDate.slice(0, 4)), Number(endDate.slice(5, 7)));
  if (!wholeMonths) return 'other';
  const months = monthsSpanned(startDate, endDate);
  if (months === 1) return 'month';
  if (months === 12) return 'rolling_12_months';
  if (months === 36) return 'rolling_36_months';
  return 'other';
}

/**
 * Parses the period labels NHS publications use. Accepted, with examples:
 * month "2024-04" or "Apr 2024"; financial-year quarter "2024/25 Q1" (Q1 = April to June); calendar quarter
 * "2024 Q1"; financial year "2024/25"; calendar year "2024"; Fingertips multi-year "2017 - 19" and
 * "2016/17 - 18/19"; month ranges "2023-07..2024-06" and "Jul 2023 - Jun 2024"; date ranges
 * "2024-04-01..2024-06-30". Returns undefined for anything else, so the caller can report the row.
 */
export function parsePeriod(input: string): ParsedPeriod | undefined {
  const label = input.trim().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;

  if ((m = /^(\d{4})-(\d{2})$/.exec(label))) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (month < 1 || month > 12) return undefined;
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month), granularity: 'month' };
  }
  if ((m = /^([A-Za-z]{3})[a-z]* (\d{4})$/.exec(label))) {
    const month = monthNames.indexOf(m[1].toLowerCase()) + 1;
    if (month === 0) return undefined;
    const year = Number(m[2]);
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month), granularity: 'month' };
  }
  if ((m = /^(\d{4})[/-](\d{2}|\d{4}) Q([1-4])$/.exec(label))) {
    const start = financialYearStart(m[1], m[2]);
    if (start === undefined) return undefined;
    const quarter = Number(m[3]);
    const firstMonth = 4 + (quarter - 1) * 3;
    const year = firstMonth > 12 ? start + 1 : start;
    const month = ((firstMonth - 1) % 12) + 1;
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month + 2), granularity: 'quarter' };
  }
  if ((m = /^(\d{4}) Q([1-4])$/.exec(label))) {
    const [year, quarter] = [Number(m[1]), Number(m[2])];
    const month = 1 + (quarter - 1) * 3;
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month + 2), granularity: 'quarter' };
  }
  if ((m = /^(\d{4})[/-](\d{2})$/.exec(label)) || (m = /^(\d{4})\/(\d{4})$/.exec(label))) {
    const start = financialYearStart(m[1], m[2]);
    if (start === undefined) return undefined;
    return { label, startDate: iso(start, 4, 1), endDate: iso(start + 1, 3, 31), granularity: 'financial_year' };
  }
  if ((m = /^(\d{4})$/.exec(label))) {
    const year = Number(m[1]);
    return { label, startDate: iso(year, 1, 1), endDate: iso(year, 12, 31), granularity: 'calendar_year' };
  }
  if ((m = /^(\d{4}) - (\d{2})$/.exec(label))) {
    const start = Number(m[1]);
    const end = Number(m[1].slice(0, 2) + m[2]);
    if (end <= start) return undefined;
    return { label, startDate: iso(start, 1, 1), endDate: iso(end, 12, 31), granularity: end - start === 2 ? 'rolling_36_months' : 'other' };
  }
  if ((m = /^(\d{4})\/(\d{2}) - (\d{2})\/(\d{2})$/.exec(label))) {
    const start = financialYearStart(m[1], m[2]);
    const lastStart = Number(m[1].slice(0, 2) + m[3]);
    if (start === undefined || financialYearStart(String(lastStart), m[4]) === undefined || lastStart <= start) return undefined;
    return {
      label,
      startDate: iso(start, 4, 1),
      endDate: iso(lastStart + 1, 3, 31),
      granularity: lastStart - start === 2 ? 'rolling_36_months' : 'other',
    };
  }
  if ((m = /^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$/.exec(label))) {
    const [sy, sm, ey, em] = m.slice(1).map(Number);
    if (sm < 1 || sm > 12 || em < 1 || em > 12) return undefined;
    return monthRange(label, sy, sm, ey, em);
  }
  if ((m = /^([A-Za-z]{3})[a-z]* (\d{4}) - ([A-Za-z]{3})[a-z]* (\d{4})$/.exec(label))) {
    const sm = monthNames.indexOf(m[1].toLowerCase()) + 1;
    const em = monthNames.indexOf(m[3].toLowerCase()) + 1;
    if (sm === 0 || em === 0) return undefined;
    return monthRange(label, Number(m[2]), sm, Number(m[4]), em);
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(label))) {
    const [startDate, endDate] = [m[1], m[2]];
    if (!validDate(startDate) || !validDate(endDate) || endDate < startDate) return undefined;
    return { label, startDate, endDate, granularity: rangeGranularity(startDate, endDate) };
  }
  return undefined;
}

function monthRange(label: string, sy: number, sm: number, ey: number, em: number): ParsedPeriod | undefined {
  const startDate = iso(sy, sm, 1);
  const endDate = monthEnd(ey, em);
  if (endDate < startDate) return undefined;
  return { label, startDate, endDate, granularity: rangeGranularity(startDate, endDate) };
}
