import { describe, expect, it } from 'vitest';
import { KeyTable } from './key-table';

describe('KeyTable', () => {
  it('returns the first row of a repeated key and keeps every key through growth', () => {
    const table = new KeyTable(4);
    const keys = Array.from({ length: 5000 }, (_, i) => i * 2 ** 26 + ((i * 7919) % 1000));
    keys.forEach((key, i) => expect(table.setIfAbsent(key, i + 2)).toBeUndefined());
    expect(table.size).toBe(5000);
    keys.forEach((key, i) => expect(table.setIfAbsent(key, 99)).toBe(i + 2));
    // Key 0 (the first key above) must not be mistaken for an empty slot.
    expect(table.setIfAbsent(0, 7)).toBe(2);
    expect(table.setIfAbsent(2 ** 52, 8)).toBeUndefined();
    expect(table.setIfAbsent(2 ** 52, 9)).toBe(8);
  });
});
