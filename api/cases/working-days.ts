/**
 * Working days in England and Wales: Monday to Friday less the bank holidays of the Banking and Financial
 * Dealings Act 1971 as proclaimed each year (New Year's Day, Good Friday, Easter Monday, the first and last
 * Mondays of May, the last Monday of August, Christmas Day and Boxing Day, a holiday falling at a weekend moved to
 * the next weekday). One-off proclaimed holidays (a coronation, a state funeral) are the policy's `extraHolidays`.
 * Dates are ISO calendar dates (YYYY-MM-DD), with no time zone.
 */

const iso = (date: Date) => date.toISOString().slice(0, 10);
const utc = (year: number, month: number, day: number) => new Date(Date.UTC(year, month - 1, day));

/** Easter Sunday of the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(utc(year, month, day));
}

const addCalendarDays = (date: string, days: number) => {
  const moved = new Date(`${date}T00:00:00Z`);
  moved.setUTCDate(moved.getUTCDate() + days);
  return iso(moved);
};
const weekday = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

/** The first (n = 1) or last (n = -1) Monday of a month. */
function monday(year: number, month: number, n: 1 | -1): string {
  if (n === 1) {
    const first = utc(year, month, 1);
    return iso(utc(year, month, 1 + ((8 - first.getUTCDay()) % 7)));
  }
  const last = utc(year, month + 1, 0);
  return iso(utc(year, month, last.getUTCDate() - ((last.getUTCDay() + 6) % 7)));
}

/** The bank holidays of England and Wales in a year, in date order. */
export function bankHolidaysEnglandWales(year: number): string[] {
  const easter = easterSunday(year);
  const newYear = `${year}-01-01`;
  const newYearHoliday = weekday(newYear) === 6 ? addCalendarDays(newYear, 2) : weekday(newYear) === 0 ? addCalendarDays(newYear, 1) : newYear;
  // Christmas and Boxing Day: a day at the weekend moves to the next weekday not already a holiday.
  const christmas = `${year}-12-25`;
  const christmasDay = weekday(christmas);
  const christmasPair =
    christmasDay === 5 ? [christmas, addCalendarDays(christmas, 3)] : christmasDay === 6 ? [addCalendarDays(christmas, 2), addCalendarDays(christmas, 3)] : christmasDay === 0 ? [addCalendarDays(christmas, 1), addCalendarDays(christmas, 2)] : [christmas, addCalendarDays(christmas, 1)];
  return [newYearHoliday, addCalendarDays(easter, -2), addCalendarDays(easter, 1), monday(year, 5, 1), monday(year, 5, -1), monday(year, 8, -1), ...christmasPair];
}

/** Whether a date is a working day: a weekday that is neither a bank holiday nor one of `extraHolidays`. */
export function isWorkingDay(date: string, extraHolidays: ReadonlySet<string> = new Set()): boolean {
  const day = weekday(date);
  if (day === 0 || day === 6 || extraHolidays.has(date)) return false;
  return !bankHolidaysEnglandWales(Number(date.slice(0, 4))).includes(date);
}

/** The date `days` working days after `from` (the day itself not counted), as a deadline of "within n working days". */
export function addWorkingDays(from: string, days: number, extraHolidays: ReadonlySet<string> = new Set()): string {
  let date = from;
  let left = days;
  while (left > 0) {
    date = addCalendarDays(date, 1);
    if (isWorkingDay(date, extraHolidays)) left -= 1;
  }
  return date;
}

export { addCalendarDays };
