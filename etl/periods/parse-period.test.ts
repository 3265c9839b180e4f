import { describe, expect, it } from 'vitest';
import { parsePeriod } from './parse-period';

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
  ])('parses %s', (label, startDate, endDate, granularity) => {
    expect(parsePeriod(label)).toEqual({ label, startDate, endDate, granularity });
  });

  it('normalises white space in the label it keeps', () => {
    expect(parsePeriod('  2024/25   Q1 ')?.label).toBe('2024/25 Q1');
  });

  it.each(['', 'Q1', '2024-13', '2024/26', '2024/25 Q5', 'Foo 2024', '2024-02-30..2024-03-01', '2024-06..2024-01', 'last year'])(
    'refuses %j',
    (label) => {
      expect(parsePeriod(label)).toBeUndefined();
    },
  );
});
