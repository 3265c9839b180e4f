import type { PeriodRow } from './demo-rows';

const isoDate = (year: number, monthIndex: number, day: number) => new Date(Date.UTC(year, monthIndex, day)).toISOString().slice(0, 10);

/**
 * Financial-year quarters (the NHS year starts on 1 April), labelled as NHS publications do: '2023/24 Q1' is
 * 1 April to 30 June 2023 and '2023/24 Q4' is January to March 2024.
 */
export function financialQuarters(firstYear: number, count: number): PeriodRow[] {
  return Array.from({ length: count }, (_, index) => {
    const year = firstYear + Math.floor(index / 4);
    const quarter = index % 4;
    const startMonth = 3 + 3 * quarter; // April = month index 3; January of the next year is index 12
    return {
      label: `${year}/${String((year + 1) % 100).padStart(2, '0')} Q${quarter + 1}`,
      start_date: isoDate(year, startMonth, 1),
      // Day 0 of the month after the quarter is its last day.
      end_date: isoDate(year, startMonth + 3, 0),
      granularity: 'quarter',
    };
  });
}
