import { describe, expect, it } from 'vitest';
import { storable, storableText } from './storable';

/** Without these, a NUL or half a surrogate pair quoted from a file would make PostgreSQL refuse the upload's row (a 500). */
describe('storable', () => {
  it('shows controls and unpaired surrogates as escapes, and keeps tab, line breaks, pairs and other text', () => {
    expect(storableText('a\u0000b\u0001c\u001b\u007f')).toBe('a\\u0000b\\u0001c\\u001b\\u007f');
    expect(storableText('\ud83d…|…\ude00|\ude00\ud83d')).toBe('\\ud83d…|…\\ude00|\\ude00\\ud83d');
    expect(storableText('tab\tCR\rLF\n 😀 é ␀')).toBe('tab\tCR\rLF\n 😀 é ␀');
  });

  it('copies a JSON value with every string made storable, keys included, leaving numbers, booleans and null', () => {
    const value = { 'col\u0000': [{ value: 'x\u0000', row: 2, ok: true, none: null }], nested: { deep: ['\ud800'] } };
    expect(storable(value)).toEqual({ 'col\\u0000': [{ value: 'x\\u0000', row: 2, ok: true, none: null }], nested: { deep: ['\\ud800'] } });
    expect(value['col\u0000'][0].value).toBe('x\u0000');
  });
});
