import fc from 'fast-check';
import type { DatabaseHandle } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openGenericCsv } from '../../etl/sources/generic-csv';
import { temporaryFolder } from '../support/etl-fixtures';

/** A small random health economy: providers, overlapping networks (one of a single member) and counts. */
export interface RandomEconomy {
  providers: number;
  periods: number;
  networks: number[][];
  /** Per indicator, per period, per provider: [count, denominator]; counts of 1–4 are common. */
  figures: [number, number][][][];
}

const indicators = [
  { code: 'RX-PROP', kind: 'proportion', multiplier: 100, unit: '%' },
  { code: 'RX-RATE', kind: 'crude_rate', multiplier: 100000, unit: 'per 100000 bed days' },
  { code: 'RX-RATIO', kind: 'indirectly_standardised_ratio', multiplier: 1, unit: 'ratio' },
] as const;

const periodLabels = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2024/25 Q4'];
const providerCode = (i: number) => `RX${String.fromCharCode(65 + i)}`;

/** A cell's count: small (suppressed as a count) a third of the time, else up to its denominator. */
const cell = fc.tuple(fc.integer({ min: 20, max: 3000 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: 1, max: 4 }), fc.double({ min: 0.01, max: 0.99, noNaN: true }));

export const randomEconomy: fc.Arbitrary<RandomEconomy> = fc
  .record({ providers: fc.integer({ min: 6, max: 15 }), periods: fc.integer({ min: 3, max: 4 }) })
  .chain(({ providers, periods }) =>
    fc.record({
      providers: fc.constant(providers),
      periods: fc.constant(periods),
      networks: fc.tuple(
        fc.integer({ min: 0, max: providers - 1 }).map((one) => [one]),
        fc.uniqueArray(fc.integer({ min: 0, max: providers - 1 }), { minLength: 2, maxLength: providers }),
        fc.uniqueArray(fc.integer({ min: 0, max: providers - 1 }), { minLength: 2, maxLength: providers }),
      ),
      figures: fc.array(fc.array(fc.array(cell, { minLength: providers, maxLength: providers }), { minLength: periods, maxLength: periods }), {
        minLength: indicators.length,
        maxLength: indicators.length,
      }),
    }),
  )
  .map(({ providers, periods, networks, figures }) => ({
    providers,
    periods,
    networks,
    figures: figures.map((byPeriod, k) =>
      byPeriod.map((byProvider) =>
        byProvider.map(([denominator, kind, small, share]): [number, number] => {
          // kind 0: a small count; 1: a small complement (proportions only); 2: any count.
          const count = kind === 0 ? small : kind === 1 && k === 0 ? denominator - small : Math.max(5, Math.round(share * denominator * (k === 0 ? 1 : 0.05)));
          return [Math.min(count, denominator - (k === 0 && kind !== 1 ? 5 : 0)), denominator];
        }),
      ),
    ),
  }));

const csv = (rows: (string | number)[][]) => rows.map((row) => row.join(',')).join('\n') + '\n';

/** Writes the economy as the documented reference and observation files and loads them through the ETL. */
export async function loadRandomEconomy(handle: DatabaseHandle, economy: RandomEconomy): Promise<void> {
  const files = temporaryFolder();
  try {
    const codes = Array.from({ length: economy.providers }, (_, i) => providerCode(i));
    const organisations = files.write('organisations.csv', csv([['code', 'name', 'kind', 'parent_code', 'opened_on', 'closed_on'], ...codes.map((code) => [code, `Trust ${code}`, 'trust', '', '', ''])]));
    const networks = files.write(
      'networks.csv',
      csv([['code', 'name', 'kind', 'description', 'restricted'], ...economy.networks.map((_, i) => [`RX-NET${i}`, `Network ${i}`, 'custom', '', 'false'])]),
    );
    const memberships = files.write(
      'network_memberships.csv',
      csv([['network_code', 'organisation_code', 'valid_from', 'valid_to'], ...economy.networks.flatMap((members, i) => members.map((member) => [`RX-NET${i}`, providerCode(member), '2020-04-01', '']))]),
    );
    const indicatorFile = files.write(
      'indicators.csv',
      csv([
        ['code', 'name', 'domain', 'measure_kind', 'polarity', 'multiplier', 'unit', 'definition', 'source', 'target'],
        ...indicators.map((one) => [one.code, `Random ${one.kind}`, 'Random', one.kind, 'lower_is_better', one.multiplier, one.unit, '', '', '']),
      ]),
    );
    const rows: (string | number)[][] = [['indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper']];
    economy.figures.forEach((byPeriod, k) =>
      byPeriod.forEach((byProvider, t) =>
        byProvider.forEach(([count, denominator], i) => {
          const ratio = indicators[k].kind === 'indirectly_standardised_ratio';
          // An expected count is a decimal: a ratio's denominator is no whole number.
          rows.push(ratio ? [indicators[k].code, codes[i], periodLabels[t], '', '', count, (denominator / 97).toFixed(3), '', '', ''] : [indicators[k].code, codes[i], periodLabels[t], count, denominator, '', '', '', '', '']);
        }),
      ),
    );
    const observations = files.write('observations.csv', csv(rows));
    await loadOrganisations(handle, organisations);
    await loadNetworks(handle, networks);
    await loadMemberships(handle, memberships);
    await loadIndicators(handle, indicatorFile);
    await loadObservations(handle, await openGenericCsv(observations), observations, { loadedBy: 'disclosure test' });
  } finally {
    files.remove();
  }
}
