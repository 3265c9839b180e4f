import { describe, expect, it } from 'vitest';
import { formatCsvField, formatCsvNumber, formatSpreadsheetLine, toCsv } from './csv-write';

describe('formatCsvNumber', () => {
  it('writes plain decimals where String() would switch to exponent notation', () => {
    expect(formatCsvNumber(0.0000001)).toBe('0.0000001');
    expect(formatCsvNumber(-2.5e-7)).toBe('-0.00000025');
    expect(formatCsvNumber(100_000)).toBe('100000');
    expect(formatCsvNumber(252.35)).toBe('252.35');
    expect(formatCsvNumber(0)).toBe('0');
  });

  it('refuses what has no plain decimal form', () => {
    expect(() => formatCsvNumber(Number.NaN)).toThrow(RangeError);
    expect(() => formatCsvNumber(Infinity)).toThrow(RangeError);
    expect(() => formatCsvNumber(1e21)).toThrow(RangeError);
  });
});

describe('formatCsvField', () => {
  it('quotes only fields with a comma, quote or line break, doubling quotes (RFC 4180)', () => {
    expect(formatCsvField('per 100,000 bed days')).toBe('"per 100,000 bed days"');
    expect(formatCsvField('the "SHMI-like" ratio')).toBe('"the ""SHMI-like"" ratio"');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvField('plain text')).toBe('plain text');
  });

  it('writes null as an empty field and booleans as true/false', () => {
    expect([formatCsvField(null), formatCsvField(false), formatCsvField(true)]).toEqual(['', 'false', 'true']);
  });
});

describe('toCsv', () => {
  it('writes the header, then each row in column order, ending every line with a line feed', () => {
    const rows = [{ b: 2, a: 'x,y', c: null }, { b: 0.5, a: 'z', c: true }];
    expect(toCsv(['a', 'b', 'c'], rows)).toBe('a,b,c\n"x,y",2,\nz,0.5,true\n');
  });
});

describe('formatSpreadsheetLine', () => {
  it('defuses text a spreadsheet would run as a formula, and leaves numbers, also as text, as they are', () => {
    expect(formatSpreadsheetLine([3, '=HYPERLINK("http://evil.example")', "+cmd|' /C calc'!A0", '-5', -2.5, '@x', 'plain, text'])).toBe(
      `3,"'=HYPERLINK(""http://evil.example"")","'+cmd|' /C calc'!A0",-5,-2.5,"'@x","plain, text"\n`,
    );
  });

  it('is not used for files the ETL reads back: toCsv keeps their text exact', () => {
    expect(toCsv(['name'], [{ name: '=1+1' }])).toBe('name\n=1+1\n');
  });
});
