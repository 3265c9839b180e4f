import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nationalCatalogue } from '../../etl/load/load-catalogue';
import { targetInForce, type PeriodTarget } from '../../api/analysis/target-in-force';

interface CatalogueTarget { indicator_code: string; kind: PeriodTarget['kind']; valid_from: string; valid_to: string | null; value: number; source: string; note?: string }
const catalogue = JSON.parse(readFileSync(nationalCatalogue, 'utf8')) as { indicators: { code: string; target: number | null; source: string }[]; targets: CatalogueTarget[] };

/** The shipped catalogue's dated targets of one indicator, as the query returns them. */
const targetsOf = (code: string): PeriodTarget[] =>
  catalogue.targets.filter((t) => t.indicator_code === code).map((t) => ({ kind: t.kind, network: null, validFrom: t.valid_from, validTo: t.valid_to, value: t.value, source: t.source, note: t.note ?? null }));
const indicator = (code: string) => catalogue.indicators.find((one) => one.code === code)!;
const valueOn = (code: string, date: string) => targetInForce(indicator(code), targetsOf(code), date)?.value ?? null;

describe('targetInForce, on the shipped catalogue', () => {
  it('gives the 62-day standard of each planning year, then the constitutional 85 %', () => {
    // Before the combined standard of October 2023 only the indicator's own target (85 %) applies.
    expect(targetInForce(indicator('CWT-62D'), targetsOf('CWT-62D'), '2023-09-30')).toMatchObject({ value: 85, kind: 'indicator', validFrom: null });
    expect(targetInForce(indicator('CWT-62D'), targetsOf('CWT-62D'), '2023-12-31')).toMatchObject({ value: 85, kind: 'constitutional' });
    expect(valueOn('CWT-62D', '2024-06-30')).toBe(70);
    expect(valueOn('CWT-62D', '2025-03-31')).toBe(70);
    // valid_to is exclusive: the first day of 2025/26 is under its own standard.
    expect(valueOn('CWT-62D', '2025-04-01')).toBe(75);
    expect(targetInForce(indicator('CWT-62D'), targetsOf('CWT-62D'), '2026-03-31')).toMatchObject({ value: 75, kind: 'operational', validTo: '2026-04-01' });
    expect(targetInForce(indicator('CWT-62D'), targetsOf('CWT-62D'), '2026-06-30')).toMatchObject({ value: 85, kind: 'constitutional' });
  });

  it('gives FDS 75 → 77 → 80 %, the 4-hour 76 → 78 % under the 95 % standard, and 31-day 96 %', () => {
    expect(['2024-03-31', '2025-03-31', '2026-03-31'].map((date) => valueOn('CWT-FDS28', date))).toEqual([75, 77, 80]);
    expect(['2009-12-31', '2024-03-31', '2025-03-31', '2026-03-31', '2026-06-30'].map((date) => valueOn('AE-4H', date))).toEqual([95, 76, 78, 78, 95]);
    expect(targetInForce(indicator('AE-4H'), targetsOf('AE-4H'), '2009-12-31')?.kind).toBe('indicator');
    expect(valueOn('CWT-31D', '2025-06-30')).toBe(96);
  });

  it('has none for type 1 A&E or SHMI', () => {
    expect(targetInForce(indicator('AE-4H-T1'), targetsOf('AE-4H-T1'), '2025-06-30')).toBeNull();
    expect(targetInForce(indicator('SHMI'), targetsOf('SHMI'), '2025-06-30')).toBeNull();
  });
});
