import { describe, expect, it } from 'vitest';
import { acceptedPeriodForms, parsePeriod, periodProblem } from './parse-period';

describe('parsePeriod', () => {
  it.each([
    ['2024-04', '2024-04-01', '2024-04-30', 'month'],
    ['2024-02', '2024-02-01', '2024-02-29', 'month'],
    ['Feb 2023', '2023-02-01', '2023-02-28', 'month'],
    ['2024/25 Q1', '2024-04-01', '2024-06-30', 'quarter'],
    ['2024/25 Q3', '2024-10-01', '2024-12-31', 'quarter'],
    // Q4 of a financial year is January to March of the following calendar year.
    ['2024/25 Q4', '2025-01-01', '2025-03-31', 'quarter'],
    ['2024-25 Q2', '2024-07-01', '2024-09-30', 'quarter'],
    ['2024 Q1', '2024-01-01', '2024-03-31', 'quarter'],
    ['2024/25', '2024-04-01', '2025-03-31', 'financial_year'],
    ['1999/00', '1999-04-01', '2000-03-31', 'financial_year'],
    ['2023', '2023-01-01', '2023-12-31', 'calendar_year'],
    ['2017 - 19', '2017-01-01', '2019-12-31', 'rolling_36_months'],
    ['2016/17 - 18/19', '2016-04-01', '2019-03-31', 'rolling_36_months'],
    ['2010-04..2011-03', '2010-04-01', '2011-03-31', 'rolling_12_months'],
    ['Jul 2023 - Jun 2024', '2023-07-01', '2024-06-30', 'rolling_12_months'],
    ['2024-04-01..2024-04-30', '2024-04-01', '2024-04-30', 'month'],
    ['2024-04-03..2024-05-09', '2024-04-03', '2024-05-09', 'other'],
    ['MAR-2019', '2019-03-01', '2019-03-31', 'month'],
    ['March 2019', '2019-03-01', '2019-03-31', 'month'],
    ['sept 2019', '2019-09-01', '2019-09-30', 'month'],
    // YYYY-YY whose second half follows the first and is no month: a financial year.
    ['2019-20', '2019-04-01', '2020-03-31', 'financial_year'],
    ['1999-00', '1999-04-01', '2000-03-31', 'financial_year'],
    // 2019-03-10 was a Sunday: NHS England's weeks run Monday to Sunday.
    ['week ending 2019-03-10', '2019-03-04', '2019-03-10', 'other'],
    ['W/E 2019-03-10', '2019-03-04', '2019-03-10', 'other'],
  ])('parses %s', (label, startDate, endDate, granularity) => {
    expect(parsePeriod(label)).toEqual({ label, startDate, endDate, granularity });
  });

  it('normalises white space in the label it keeps', () => {
    expect(parsePeriod('  2024/25   Q1 ')?.label).toBe('2024/25 Q1');
  });

  it.each(['', 'Q1', '2024-13', '2024/26', '2024/25 Q5', 'Foo 2024', 'Marc 2019', 'MAR_2019', '2024-02-30..2024-03-01', '2024-06..2024-01', 'last year', '2019-03-01', '2011-12', '01/03/2019', 'week ending 2019-02-30'])(
    'refuses %j',
    (label) => {
      expect(parsePeriod(label)).toBeUndefined();
    },
  );

  it('reads a first-of-month date as its month only when the file is monthly, and labels it as the month', () => {
    expect(parsePeriod('2019-03-01', { dates: 'month' })).toEqual({ label: '2019-03', startDate: '2019-03-01', endDate: '2019-03-31', granularity: 'month' });
    expect(parsePeriod('2016-02-01', { dates: 'month' })?.endDate).toBe('2016-02-29');
    expect(parsePeriod('2019-03-15', { dates: 'month' })).toBeUndefined();
    expect(parsePeriod('2019-02-30', { dates: 'month' })).toBeUndefined();
  });

  it('reads a week-ending date across a year end (2019-01-06 was a Sunday)', () => {
    expect(parsePeriod('week ending 2019-01-06')?.startDate).toBe('2018-12-31');
  });

  it('says why a label is refused, naming the forms that would be accepted', () => {
    expect(periodProblem('2011-12')).toBe('"2011-12" could be December 2011 or the financial year 2011/12; write 2011/12 for the financial year or "Dec 2011" for the month');
    expect(periodProblem('2019-03-15', { dates: 'month' })).toMatch(/^in a monthly file a date stands for its month only as the first of the month \(e\.g\. 2019-03-01 for 2019-03\); accepted forms: 2024-04, Apr 2024, /);
    expect(periodProblem('2019-03-01')).toMatch(/^a date alone does not say which period it stands for; write the month \(2019-03\), the week \("week ending 2019-03-01"\)/);
    expect(periodProblem('01/03/2019')).toMatch(/^"01\/03\/2019" could be day\/month or month\/day; write the date as YYYY-MM-DD/);
    expect(periodProblem('last year')).toBe('the period is not one of the documented forms (e.g. 2024-04, 2024/25 Q1, 2024/25, 2023-07..2024-06)');
    // Every example the messages offer is itself accepted.
    for (const form of acceptedPeriodForms.split(', ')) expect(parsePeriod(form), form).toBeDefined();
  });
});
