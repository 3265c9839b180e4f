import { describe, expect, it } from 'vitest';
import { defuseFormula } from './csv-formula';
import { toCsv } from './exports/csv';

const hostile = ['=HYPERLINK("http://evil.example","Click")', "+cmd|' /C calc'!A0", '-2+3+cmd|\' /C calc\'!A0', '@SUM(1+1)*cmd|\' /C calc\'!A0', '\t=1+1', '\r=1+1'];

describe('defuseFormula', () => {
  it.each(hostile)('prefixes %j with a single quote and asks for quotes', (text) => {
    expect(defuseFormula(text)).toEqual({ text: `'${text}`, quote: true });
  });

  it.each(['Royal Kellbourne Hospital', '2025/26 Q2', 'x=1', "O'Neill Practice", '-2.5', '+1', '-0.000001', '-1e-7', '.5'])('leaves %j alone', (text) => {
    expect(defuseFormula(text)).toEqual({ text, quote: false });
  });

  it('does not take a formula for a number because it starts like one', () => {
    expect(defuseFormula('-2.5e3+1').quote).toBe(true);
    expect(defuseFormula('-').quote).toBe(true);
  });
});

describe('the API’s CSV downloads', () => {
  it('write hostile text as quoted, quote-prefixed text and numbers, negative ones too, as numbers', () => {
    const rows = hostile.map((name, i) => ({ name, z: -2.5 - i, band: i % 2 === 0 ? '-' : 'within' }));
    const lines = toCsv(['name', 'z', 'band'], rows).split('\r\n');
    expect(lines[1]).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")",-2.5,"'-"`);
    expect(lines[2]).toBe(`"'+cmd|' /C calc'!A0",-3.5,within`);
    expect(lines[5]).toBe('"\'\t=1+1",-6.5,"\'-"');
    for (const line of lines.slice(1, -1)) expect(line).toMatch(/^"'/);
  });
});
