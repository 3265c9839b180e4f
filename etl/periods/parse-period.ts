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
const fullMonthNames = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
/** A month by its three-letter or full name, any case ("Mar", "MAR", "March", "Sept"); 0 when it is neither. */
const monthNumber = (name: string) => {
  const lower = name.toLowerCase();
  const index = lower === 'sept' ? 8 : Math.max(monthNames.indexOf(lower), fullMonthNames.indexOf(lower));
  return index + 1;
};
const monthName = '([A-Za-z]{3,9})';

/** What a bare date (2019-03-01) stands for, which only the file can say: nothing unless told. */
export interface PeriodOptions {
  /** "month": the file is monthly, so the first of a month stands for that month (A&E's 2019-03-01). */
  dates?: 'month';
}

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

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** The week a week-ending date closes, Monday to Sunday as NHS England's weekly files count it (any weekday is taken as the end). */
function weekEnding(endDate: string, label: string): ParsedPeriod {
  return { label, startDate: addDays(endDate, -6), endDate, granularity: 'other' };
}

/** "2011-12" reads as December 2011 or as the financial year 2011/12: both halves follow on and the second is a month. */
const ambiguousYearPair = (first: string, second: string) => financialYearStart(first, second) !== undefined && Number(second) >= 1 && Number(second) <= 12;

/**
 * Parses the period labels NHS publications use. Accepted, with examples:
 * month "2024-04" or "Apr 2024"; financial-year quarter "2024/25 Q1" (Q1 = April to June); calendar quarter
 * "2024 Q1"; financial year "2024/25"; calendar year "2024"; Fingertips multi-year "2017 - 19" and
 * "2016/17 - 18/19"; month ranges "2023-07..2024-06" and "Jul 2023 - Jun 2024"; date ranges
 * "2024-04-01..2024-06-30"; "MAR-2019" and "March 2019"; the financial year "2019-20" (but not "2011-12", which
 * could be December 2011); a week as "week ending 2019-03-10" or "W/E 2019-03-10". A bare date is a period only
 * when the file says what its dates stand for (options.dates), and its label is then the month's "2019-03".
 * Returns undefined for anything else; periodProblem says why.
 */
export function parsePeriod(input: string, options: PeriodOptions = {}): ParsedPeriod | undefined {
  const label = input.trim().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;

  if ((m = /^(\d{4})-(\d{2})$/.exec(label))) {
    const [year, month] = [Number(m[1]), Number(m[2])];
    if (ambiguousYearPair(m[1], m[2])) return undefined;
    if (financialYearStart(m[1], m[2]) !== undefined) return { label, startDate: iso(year, 4, 1), endDate: iso(year + 1, 3, 31), granularity: 'financial_year' };
    if (month < 1 || month > 12) return undefined;
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month), granularity: 'month' };
  }
  if ((m = new RegExp(`^${monthName}[ -](\\d{4})$`).exec(label))) {
    const month = monthNumber(m[1]);
    if (month === 0) return undefined;
    const year = Number(m[2]);
    return { label, startDate: iso(year, month, 1), endDate: monthEnd(year, month), granularity: 'month' };
  }
  if ((m = /^(\d{4}-\d{2}-\d{2})$/.exec(label))) {
    if (!validDate(label)) return undefined;
    if (options.dates !== 'month' || !label.endsWith('-01')) return undefined;
    const [year, month] = [Number(label.slice(0, 4)), Number(label.slice(5, 7))];
    return { label: label.slice(0, 7), startDate: iso(year, month, 1), endDate: monthEnd(year, month), granularity: 'month' };
  }
  if ((m = /^(?:week ending|w\/e) (\d{4}-\d{2}-\d{2})$/i.exec(label))) {
    return validDate(m[1]) ? weekEnding(m[1], label) : undefined;
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
  if ((m = /^(\d{4})\/(\d{2}|\d{4})$/.exec(label))) {
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
  if ((m = new RegExp(`^${monthName} (\\d{4}) - ${monthName} (\\d{4})$`).exec(label))) {
    const sm = monthNumber(m[1]);
    const em = monthNumber(m[3]);
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

export const acceptedPeriodForms =
  '2024-04, Apr 2024, APR-2024, April 2024, 2024/25 Q1, 2024 Q1, 2024/25, 2024-25, 2024, 2017 - 19, 2016/17 - 18/19, ' +
  '2023-07..2024-06, Jul 2023 - Jun 2024, 2024-04-01..2024-06-30, week ending 2024-04-07';

/** Why parsePeriod refuses a label, naming the forms that would be accepted instead. */
export function periodProblem(input: string, options: PeriodOptions = {}): string {
  const label = input.trim().replace(/\s+/g, ' ');
  let m: RegExpExecArray | null;
  if ((m = /^(\d{4})-(\d{2})$/.exec(label)) && ambiguousYearPair(m[1], m[2])) {
    const month = fullMonthNames[Number(m[2]) - 1];
    const name = `${month[0].toUpperCase()}${month.slice(1)}`;
    return `"${label}" could be ${name} ${m[1]} or the financial year ${m[1]}/${m[2]}; write ${m[1]}/${m[2]} for the financial year or "${name.slice(0, 3)} ${m[1]}" for the month`;
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(label) && validDate(label)) {
    if (options.dates === 'month') return `in a monthly file a date stands for its month only as the first of the month (e.g. ${label.slice(0, 8)}01 for ${label.slice(0, 7)}); accepted forms: ${acceptedPeriodForms}`;
    return `a date alone does not say which period it stands for; write the month (${label.slice(0, 7)}), the week ("week ending ${label}") or a range (${label}..${label}); accepted forms: ${acceptedPeriodForms}`;
  }
  if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(label))) {
    return `"${label}" could be day/month or month/day; write the date as YYYY-MM-DD, with what it stands for; accepted forms: ${acceptedPeriodForms}`;
  }
  // Worded as the loader has always worded it, so reports and their readers stay as they were.
  return 'the period is not one of the documented forms (e.g. 2024-04, 2024/25 Q1, 2024/25, 2023-07..2024-06)';
}
