import { describe, expect, it } from 'vitest';
import { codeList } from './parameters';

describe('codeList', () => {
  it('reads codes separated by commas, and the parameter repeated as a form’s checkboxes send it, alike', () => {
    expect(codeList.parse('VA-SHMI, VA-AE4H')).toEqual(['VA-SHMI', 'VA-AE4H']);
    expect(codeList.parse(['VA-SHMI', 'VA-AE4H'])).toEqual(['VA-SHMI', 'VA-AE4H']);
    expect(codeList.parse(['VA-SHMI,VA-AE4H', 'VA-LOS'])).toEqual(['VA-SHMI', 'VA-AE4H', 'VA-LOS']);
  });

  it.each([
    ['a code named twice across repeats', ['VA-SHMI', 'VA-SHMI'], 'must not name a code twice'],
    ['no code at all', ['', ' , '], 'must name at least one code'],
    ['something that is not a code', ['VA-SHMI', "x' or 1=1"], 'must be a code'],
  ])('refuses %s', (_case, value, message) => {
    const parsed = codeList.safeParse(value);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0].message).toContain(message);
  });
});
