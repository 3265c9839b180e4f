import { describe, expect, it } from 'vitest';
import { closedPractice, lateJoiner, openedPractice, practiceMoves } from './demo-reference';
import {
  indicatorColumns, membershipColumns, networkColumns, observationColumns, organisationColumns, periodColumns,
} from './demo-rows';
import { generateDemoData } from './generate-demo';

const data = generateDemoData();
const countBy = <T>(rows: readonly T[], key: (row: T) => string) =>
  rows.reduce((counts, row) => counts.set(key(row), (counts.get(key(row)) ?? 0) + 1), new Map<string, number>());

describe('generateDemoData: reproducibility', () => {
  it('gives identical data for the same seed, so a demo and its tests always see the same numbers', () => {
    expect(generateDemoData({ seed: 20261123 })).toEqual(data);
    expect(generateDemoData({ seed: 7 })).toEqual(generateDemoData({ seed: 7 }));
  });

  it('draws different observations for another seed but keeps the reference data and planted providers', () => {
    const other = generateDemoData({ seed: 7 });
    expect(other.observations).not.toEqual(data.observations);
    expect(other.observations.map((o) => o.numerator)).not.toEqual(data.observations.map((o) => o.numerator));
    expect(other.organisations).toEqual(data.organisations);
    expect(other.memberships).toEqual(data.memberships);
    expect(other.plantedEffects.effects).toEqual(data.plantedEffects.effects);
  });
});

describe('generateDemoData: shape', () => {
  it('has a London-sized economy: about 40 trusts, 300 practices, one ICB and one region', () => {
    const kinds = countBy(data.organisations, (o) => o.kind);
    expect(kinds.get('trust')).toBe(40);
    expect(kinds.get('gp_practice')).toBe(300);
    expect(kinds.get('icb')).toBe(1);
    expect(kinds.get('region')).toBe(1);
  });

  it('uses the fictional code scheme, so demo codes can never be mistaken for real ODS codes', () => {
    const patterns: Record<string, RegExp> = { trust: /^[RT]Z[A-Z]$/, gp_practice: /^Z1\d{4}$/, icb: /^QZZ$/, region: /^YZZ$/ };
    for (const organisation of data.organisations) expect(organisation.code).toMatch(patterns[organisation.kind]);
    expect(new Set(data.organisations.map((o) => o.code)).size).toBe(data.organisations.length);
    expect(new Set(data.organisations.map((o) => o.name)).size).toBe(data.organisations.length);
  });

  it('points every parent at a known organisation: practices to the ICB, the ICB and trusts to the region', () => {
    const kindOf = new Map(data.organisations.map((o) => [o.code, o.kind]));
    const parentKind: Record<string, string | undefined> = { gp_practice: 'icb', trust: 'region', icb: 'region', region: undefined };
    for (const organisation of data.organisations) {
      const expected = parentKind[organisation.kind];
      expect(organisation.parent_code === null ? undefined : kindOf.get(organisation.parent_code)).toBe(expected);
    }
  });

  it('has every network kind the product groups by, and 6–10 primary care networks', () => {
    const kinds = countBy(data.networks, (n) => n.kind);
    for (const kind of ['strategic_clinical_network', 'cancer_network', 'icb']) expect(kinds.get(kind)).toBe(1);
    expect(kinds.get('operational_delivery_network')).toBe(2);
    expect(kinds.get('primary_care_network')).toBeGreaterThanOrEqual(6);
    expect(kinds.get('primary_care_network')).toBeLessThanOrEqual(10);
  });

  it('has at least 10 indicators covering all five measure kinds and all three polarities', () => {
    expect(data.indicators.length).toBeGreaterThanOrEqual(10);
    expect(new Set(data.indicators.map((i) => i.measure_kind))).toEqual(
      new Set(['proportion', 'crude_rate', 'indirectly_standardised_ratio', 'directly_standardised_rate', 'mean']),
    );
    expect(new Set(data.indicators.map((i) => i.polarity))).toEqual(new Set(['higher_is_better', 'lower_is_better', 'no_judgement']));
    for (const indicator of data.indicators) expect(indicator.multiplier).toBe(indicator.unit === '%' ? 100 : indicator.measure_kind.endsWith('rate') ? 100_000 : 1);
    expect(data.indicators.filter((i) => i.target !== null).map((i) => [i.code, i.target])).toEqual([
      ['VA-CANCER62', 85], ['VA-AE4H', 78], ['VA-CERVICAL', 80],
    ]);
  });

  it('has 10 consecutive financial-year quarters from 2023/24 Q1 to 2025/26 Q2', () => {
    expect(data.periods.map((p) => p.label)).toEqual([
      '2023/24 Q1', '2023/24 Q2', '2023/24 Q3', '2023/24 Q4', '2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4', '2025/26 Q1', '2025/26 Q2',
    ]);
    expect(data.periods[3]).toEqual({ label: '2023/24 Q4', start_date: '2024-01-01', end_date: '2024-03-31', granularity: 'quarter' });
    for (let i = 1; i < data.periods.length; i++) {
      const dayAfterEnd = new Date(Date.parse(data.periods[i - 1].end_date) + 86_400_000).toISOString().slice(0, 10);
      expect(data.periods[i].start_date).toBe(dayAfterEnd);
    }
  });

  it('gives every row exactly its CSV columns, in order, so rows are written as they are', () => {
    const tables = [
      [data.organisations, organisationColumns], [data.networks, networkColumns], [data.memberships, membershipColumns],
      [data.indicators, indicatorColumns], [data.periods, periodColumns], [data.observations, observationColumns],
    ] as const;
    for (const [rows, columns] of tables) for (const row of rows) expect(Object.keys(row)).toEqual([...columns]);
  });
});

describe('generateDemoData: memberships', () => {
  const organisationCodes = new Set(data.organisations.map((o) => o.code));
  const networkCodes = new Set(data.networks.map((n) => n.code));
  const kindOfNetwork = new Map(data.networks.map((n) => [n.code, n.kind]));

  it('references only known networks and organisations, with valid_to after valid_from', () => {
    for (const m of data.memberships) {
      expect(networkCodes.has(m.network_code)).toBe(true);
      expect(organisationCodes.has(m.organisation_code)).toBe(true);
      expect(m.valid_to === null || m.valid_to > m.valid_from).toBe(true);
    }
  });

  it('puts every practice in exactly one PCN on any date, including the two that move', () => {
    const pcnRows = data.memberships.filter((m) => kindOfNetwork.get(m.network_code) === 'primary_care_network');
    for (const date of ['2023-04-01', '2024-12-31', '2025-09-30']) {
      const current = pcnRows.filter((m) => m.valid_from <= date && (m.valid_to === null || m.valid_to > date));
      const open = data.organisations.filter((o) => o.kind === 'gp_practice' && (o.opened_on ?? '') <= date && (o.closed_on ?? '9999') >= date);
      expect(current.map((m) => m.organisation_code).sort()).toEqual(open.map((o) => o.code).sort());
    }
    for (const move of practiceMoves) {
      expect(pcnRows.filter((m) => m.organisation_code === move.code)).toEqual([
        { network_code: move.from, organisation_code: move.code, valid_from: '2019-07-01', valid_to: move.on },
        { network_code: move.to, organisation_code: move.code, valid_from: move.on, valid_to: null },
      ]);
    }
  });

  it('has a trust joining a network mid-series and trusts in several networks at once', () => {
    expect(data.memberships).toContainEqual({ network_code: lateJoiner.networkCode, organisation_code: lateJoiner.code, valid_from: lateJoiner.on, valid_to: null });
    const networksOfTrust = countBy(data.memberships.filter((m) => /^RZ/.test(m.organisation_code)), (m) => m.organisation_code);
    expect(Math.max(...networksOfTrust.values())).toBe(5);
  });
});

describe('generateDemoData: observations', () => {
  const kindOf = new Map(data.indicators.map((i) => [i.code, i.measure_kind]));
  const isCount = (x: number | null) => x !== null && Number.isInteger(x) && x >= 0;

  it('has one row per indicator, provider and period, for known codes, at the indicator level', () => {
    expect(countBy(data.observations, (o) => `${o.indicator_code}|${o.organisation_code}|${o.period}`).size).toBe(data.observations.length);
    const organisationKind = new Map(data.organisations.map((o) => [o.code, o.kind]));
    const periods = new Set(data.periods.map((p) => p.label));
    const levels = countBy(data.observations, (o) => `${o.indicator_code}|${organisationKind.get(o.organisation_code)}`);
    expect([...levels.keys()].every((key) => /\|(trust|gp_practice)$/.test(key))).toBe(true);
    expect(new Set([...levels.keys()].map((key) => key.split('|')[0])).size).toBe(data.indicators.length);
    expect(data.observations.every((o) => periods.has(o.period))).toBe(true);
  });

  it('fills exactly the columns of each measure kind, with valid counts', () => {
    for (const o of data.observations) {
      const filled = observationColumns.slice(3).filter((column) => o[column] !== null);
      switch (kindOf.get(o.indicator_code)) {
        case 'proportion':
          expect(filled).toEqual(['numerator', 'denominator']);
          expect(isCount(o.numerator) && o.numerator! <= o.denominator! && o.denominator! > 0).toBe(true);
          break;
        case 'crude_rate':
          expect(filled).toEqual(['numerator', 'denominator']);
          expect(isCount(o.numerator) && isCount(o.denominator) && o.denominator! > 0).toBe(true);
          break;
        case 'indirectly_standardised_ratio':
          expect(filled).toEqual(['observed', 'expected']);
          expect(isCount(o.observed) && o.expected! > 0).toBe(true);
          break;
        case 'directly_standardised_rate':
          // Below 10 events PHE publishes no rate, so those practice-quarters are absent.
          expect(filled).toEqual(['numerator', 'denominator', 'value', 'value_lower', 'value_upper']);
          expect(isCount(o.numerator) && o.numerator! >= 10 && isCount(o.denominator) && o.denominator! > 0).toBe(true);
          expect(o.value_lower! <= o.value! && o.value! <= o.value_upper! && o.value_lower! >= 0).toBe(true);
          break;
        case 'mean':
          expect(filled).toEqual(['denominator', 'value', 'value_lower', 'value_upper']);
          expect(isCount(o.denominator) && o.value_lower! < o.value! && o.value! < o.value_upper!).toBe(true);
          break;
      }
    }
  });

  it('leaves out the practice-quarters with fewer than 10 ACS admissions, a minority', () => {
    const published = data.observations.filter((o) => o.indicator_code === 'VA-ACS-DSR').length;
    const possible = data.observations.filter((o) => o.indicator_code === 'VA-CERVICAL').length;
    expect(published).toBeLessThan(possible);
    expect(published).toBeGreaterThan(0.8 * possible);
  });

  it('reports only periods a practice was open for throughout: none after closing, none before opening', () => {
    const periodsOf = (code: string) => new Set(data.observations.filter((o) => o.organisation_code === code).map((o) => o.period));
    expect([...periodsOf(closedPractice.code)].sort().at(-1)).toBe('2024/25 Q2');
    expect([...periodsOf(openedPractice.code)].sort()[0]).toBe('2024/25 Q1');
  });

  it('has realistic sizes: practice lists 2,000–20,000 and trust volumes that grow with the trust', () => {
    const lists = data.observations.filter((o) => o.indicator_code === 'VA-ACS-DSR').map((o) => o.denominator!);
    expect(Math.min(...lists)).toBeGreaterThan(1_800);
    expect(Math.max(...lists)).toBeLessThan(22_000);
    const readmissions = data.observations.filter((o) => o.indicator_code === 'VA-READM30' && o.period === '2023/24 Q1');
    const discharges = (code: string) => readmissions.find((o) => o.organisation_code === code)!.denominator!;
    expect(discharges('RZA')).toBeGreaterThan(3 * discharges('RZZ'));
  });
});
