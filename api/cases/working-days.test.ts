import { describe, expect, it } from 'vitest';
import { addCalendarDays, addWorkingDays, bankHolidaysEnglandWales, easterSunday, isWorkingDay } from './working-days';

// The bank holidays of England and Wales as the government published them, typed in from its list.
const published: Record<number, string[]> = {
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-04', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2021: ['2021-01-01', '2021-04-02', '2021-04-05', '2021-05-03', '2021-05-31', '2021-08-30', '2021-12-27', '2021-12-28'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

describe('working days in England and Wales', () => {
  it.each(Object.entries(published))('gives the published bank holidays of %s', (year, dates) => {
    expect(bankHolidaysEnglandWales(Number(year))).toEqual(dates);
  });

  it('finds Easter Sunday on the dates of the ecclesiastical tables', () => {
    expect(['2024', '2025', '2026', '2038', '2285'].map((year) => easterSunday(Number(year)))).toEqual(['2024-03-31', '2025-04-20', '2026-04-05', '2038-04-25', '2285-03-22']);
  });

  it('counts working days past weekends and bank holidays, as a count of days on a calendar would', () => {
    // Thursday 2 April 2026: Good Friday, the weekend and Easter Monday are skipped, so the 5th working day is Monday 13 April.
    expect(addWorkingDays('2026-04-02', 5)).toBe('2026-04-13');
    // Brute force: walk the calendar a day at a time and count the weekdays not in the published list.
    const holidays = new Set(Object.values(published).flat());
    for (const start of ['2025-12-19', '2026-05-01', '2026-08-27', '2027-03-24']) {
      for (const days of [1, 5, 10, 25]) {
        let date = start;
        let counted = 0;
        while (counted < days) {
          date = addCalendarDays(date, 1);
          const day = new Date(`${date}T00:00:00Z`).getUTCDay();
          if (day !== 0 && day !== 6 && !holidays.has(date)) counted += 1;
        }
        expect(addWorkingDays(start, days), `${start} + ${days}`).toBe(date);
      }
    }
  });

  it('takes one-off holidays from the policy', () => {
    // 19 September 2022, the state funeral, was proclaimed a bank holiday for that year only.
    expect(isWorkingDay('2022-09-19')).toBe(true);
    expect(isWorkingDay('2022-09-19', new Set(['2022-09-19']))).toBe(false);
    expect(addWorkingDays('2022-09-16', 1, new Set(['2022-09-19']))).toBe('2022-09-20');
  });
});
