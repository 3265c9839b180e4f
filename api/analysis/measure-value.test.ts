import { describe, expect, it } from 'vitest';
import { measureValue } from './measure-value';
import { isSuppressed } from './suppression';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };

describe('measureValue', () => {
  it('gives a proportion on the display scale with its Wilson interval (Newcombe 1998, Table I: 81/263 → 0.2553–0.3662)', () => {
    const result = measureValue({ measureKind: 'proportion', multiplier: 100 }, { ...none, numerator: 81, denominator: 263 });
    expect(result.value).toBeCloseTo(30.798, 3);
    expect(result.lower).toBeCloseTo(25.53, 2);
    expect(result.upper).toBeCloseTo(36.62, 2);
    expect(result.method).toBe('wilson');
  });

  it('gives an indirectly standardised ratio with the exact Poisson interval below 10 events (O = 4, E = 2: Garwood 1936, 1.09/2 and 10.24/2)', () => {
    const result = measureValue({ measureKind: 'indirectly_standardised_ratio', multiplier: 1 }, { ...none, observed: 4, expected: 2 });
    expect(result.value).toBe(2);
    expect(result.lower).toBeCloseTo(1.089865 / 2, 5);
    expect(result.upper).toBeCloseTo(10.24159 / 2, 4);
    expect(result.method).toBe('exact-poisson');
  });

  it("uses Byar's approximation for a rate from 10 events (PHE practice)", () => {
    const result = measureValue({ measureKind: 'crude_rate', multiplier: 100_000 }, { ...none, numerator: 65, denominator: 100_000 });
    expect(result.value).toBe(65);
    expect(result.method).toBe('byar');
    // PHEindicatormethods testdata_Byars_Wilson: x = 65 → 50.1631877104595, 82.8491385459398.
    expect(result.lower).toBeCloseTo(50.1631877104595, 9);
    expect(result.upper).toBeCloseTo(82.8491385459398, 9);
  });

  it('passes a published value and 95 % interval through, and does not rescale it to another confidence', () => {
    const figures = { ...none, value: 4.6, valueLower: 4.4, valueUpper: 4.9 };
    expect(measureValue({ measureKind: 'mean', multiplier: 1 }, figures)).toEqual({ value: 4.6, lower: 4.4, upper: 4.9, method: 'published' });
    expect(measureValue({ measureKind: 'mean', multiplier: 1 }, figures, 0.998)).toEqual({ value: 4.6, lower: null, upper: null, method: 'none' });
  });
});

describe('isSuppressed', () => {
  const proportion = { measureKind: 'proportion' as const };
  it.each([
    [{ numerator: 0, denominator: 40 }, false],
    [{ numerator: 1, denominator: 40 }, true],
    [{ numerator: 4, denominator: 40 }, true],
    [{ numerator: 5, denominator: 40 }, false],
    // The complement reveals the count as well: 37 of 40 means 3 without the event.
    [{ numerator: 37, denominator: 40 }, true],
    [{ numerator: 40, denominator: 40 }, false],
  ])('proportion %o suppressed: %s', (counts, expected) => {
    expect(isSuppressed(proportion, { ...none, ...counts }, 5)).toBe(expected);
  });

  it('checks observed counts of ratios and switches off at threshold 0', () => {
    expect(isSuppressed({ measureKind: 'indirectly_standardised_ratio' }, { ...none, observed: 3, expected: 2.5 }, 5)).toBe(true);
    expect(isSuppressed({ measureKind: 'indirectly_standardised_ratio' }, { ...none, observed: 3, expected: 2.5 }, 0)).toBe(false);
  });
});

describe('pooledValue', () => {
  it('sums the counts of a proportion (Σx/Σn) and gives the Wilson interval of the totals', async () => {
    const { pooledValue } = await import('./pooled-value');
    const rows = [
      { ...none, numerator: 30, denominator: 200 },
      { ...none, numerator: 51, denominator: 63 },
    ];
    const pooled = pooledValue({ measureKind: 'proportion', multiplier: 100 }, rows);
    expect(pooled.providers).toBe(2);
    expect(pooled.value).toBeCloseTo((81 / 263) * 100, 10);
    expect(pooled.lower).toBeCloseTo(25.53, 2);
  });

  it('pools published directly standardised rates by inverse variance on the log scale', async () => {
    const { pooledValue } = await import('./pooled-value');
    const z = 1.959963984540054;
    // Two areas with the same log-scale standard error 0.1: the pooled log rate is the mean of the logs.
    const rows = [100, 200].map((value) => ({ ...none, value, valueLower: value * Math.exp(-z * 0.1), valueUpper: value * Math.exp(z * 0.1) }));
    const pooled = pooledValue({ measureKind: 'directly_standardised_rate', multiplier: 100_000 }, rows);
    expect(pooled.method).toBe('inverse-variance');
    expect(pooled.value).toBeCloseTo(Math.sqrt(100 * 200), 9);
    expect(pooled.upper! / pooled.value!).toBeCloseTo(Math.exp((z * 0.1) / Math.SQRT2), 9);
  });
});
