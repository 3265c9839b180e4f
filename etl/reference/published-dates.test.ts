import { describe, expect, it } from 'vitest';
import { compactDate, dayAfter, extractDate, isoDate } from './published-dates';

describe('published dates', () => {
  it('reads the ODS form, refusing impossible days', () => {
    expect(compactDate('20171001')).toBe('2017-10-01');
    expect(compactDate('20240229')).toBe('2024-02-29');
    expect(compactDate('20230229')).toBeNull();
    expect(compactDate('2017-10-01')).toBeNull();
  });

  it('reads the EXTRACT_DATE form in any case', () => {
    expect(extractDate('01Jan2022')).toBe('2022-01-01');
    expect(extractDate('31DEC2021')).toBe('2021-12-31');
    expect(extractDate('31Jun2022')).toBeNull();
    expect(extractDate('01Jnu2022')).toBeNull();
  });

  it('reads --as-of and steps over month and leap-year ends', () => {
    expect(isoDate('2024-03-31')).toBe('2024-03-31');
    expect(isoDate('2024-13-01')).toBeNull();
    expect(dayAfter('2024-02-28')).toBe('2024-02-29');
    expect(dayAfter('2023-12-31')).toBe('2024-01-01');
  });
});
