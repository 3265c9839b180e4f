import { describe, expect, it } from 'vitest';
import { networkOverview } from './network-overview';
import { peerFunnel } from './peer-funnel';
import { withhold } from './suppression';
import type { IndicatorDefinition, ProviderObservation } from './types';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null };
const row = (code: string, figures: Partial<ProviderObservation>): ProviderObservation => ({ ...none, organisationCode: code, organisationName: code, suppressed: false, ...figures });
const options = { convention: 'spiegelhalter' as const, adjustment: 'none' as const, trimFraction: 0.1 };
const proportion: IndicatorDefinition = { code: 'P', name: 'Proportion', measureKind: 'proportion', polarity: 'lower_is_better', multiplier: 100, unit: '%', target: null };
const mean: IndicatorDefinition = { code: 'M', name: 'Mean', measureKind: 'mean', polarity: 'no_judgement', multiplier: 1, unit: 'days', target: null };

describe('networkOverview', () => {
  // Peers at 50 % of 400; HIGH at 70 % (beyond 99.8 %, worse as lower is better); SMALL's 3 of 10 withheld.
  const proportionRows = [...Array.from({ length: 10 }, (_, i) => row(`A${i}`, { numerator: 200, denominator: 400 })), row('HIGH', { numerator: 280, denominator: 400 }), withhold(row('SMALL', { numerator: 3, denominator: 10 }))];
  const meanRows = [row('A0', { value: 4.6 }), row('HIGH', { value: 5.2 }), row('OTHER', { value: 4.4 })];
  const members = new Set(['A0', 'HIGH', 'SMALL']);
  const overview = networkOverview(
    [
      { indicator: proportion, rows: proportionRows, peer: peerFunnel(proportion, proportionRows, options), members },
      { indicator: mean, rows: meanRows, peer: peerFunnel(mean, meanRows, options), members },
    ],
  );

  it('has a cell for each member reporting each indicator, judged in the funnel of all providers', () => {
    expect(overview.cells.map((cell) => `${cell.indicator}:${cell.organisation}`)).toEqual(['P:A0', 'P:HIGH', 'P:SMALL', 'M:A0', 'M:HIGH']);
    expect(overview.cells[1]).toMatchObject({ value: 70, band: 'above-99.8', judgement: 'worse', suppressed: false });
    expect(overview.cells[0]).toMatchObject({ value: 50, judgement: 'as-expected' });
  });

  it('marks suppressed cells and gives them no figures', () => {
    expect(overview.cells[2]).toEqual({ indicator: 'P', organisation: 'SMALL', suppressed: true, value: null, z: null, band: null, judgement: null });
  });

  it('gives values but no judgement where the indicator has no funnel', () => {
    expect(overview.cells[4]).toMatchObject({ value: 5.2, band: null, judgement: null });
  });

  it('counts outliers and values outside 95 % per indicator and per provider', () => {
    expect(overview.indicatorCounts.get('P')).toEqual({ judged: 2, outliers: 1, outside95: 1 });
    expect(overview.indicatorCounts.get('M')).toEqual({ judged: 0, outliers: 0, outside95: 0 });
    expect(overview.providerCounts.get('HIGH')).toEqual({ judged: 1, outliers: 1, outside95: 1 });
    expect(overview.providerCounts.get('SMALL')).toEqual({ judged: 0, outliers: 0, outside95: 0 });
  });
});
