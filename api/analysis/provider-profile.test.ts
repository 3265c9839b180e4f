import { describe, expect, it } from 'vitest';
import { peerFunnel } from './peer-funnel';
import { profileEntry } from './provider-profile';
import { withhold } from './suppression';
import type { IndicatorDefinition, ProviderObservation } from './types';

const none = { numerator: null, denominator: null, observed: null, expected: null, value: null, valueLower: null, valueUpper: null, suppressed: false };
const row = (code: string, numerator: number, denominator: number): ProviderObservation => ({ ...none, organisationCode: code, organisationName: code, numerator, denominator });
const options = { convention: 'spiegelhalter' as const, adjustment: 'none' as const, trimFraction: 0.1 };
const indicator: IndicatorDefinition = { code: 'P', name: 'Screening', measureKind: 'proportion', polarity: 'higher_is_better', multiplier: 100, unit: '%', target: 80 };
const series = [60, 62, 61, 59, 63].map((numerator, i) => ({ ...none, period: `Q${i + 1}`, startDate: `2024-0${i + 1}-01`, endDate: `2024-0${i + 1}-28`, numerator, denominator: 100 }));

describe('profileEntry', () => {
  // Peers at 60 %, 62 %, 62 % and 70 % of 100; the provider at 62 %.
  const rows = [row('A', 60, 100), row('B', 62, 100), row('ME', 62, 100), row('C', 62, 100), row('D', 70, 100)];
  const entry = profileEntry({ indicator, organisationCode: 'ME', rows, peer: peerFunnel(indicator, rows, options), series, targets: [] });

  it('gives the value with its Wilson interval and the benchmark pooled over all providers', () => {
    expect(entry).toMatchObject({ reported: true, suppressed: false, value: 62, intervalMethod: 'wilson' });
    expect(entry.lower).toBeLessThan(62);
    expect(entry.benchmark).toMatchObject({ value: (100 * 316) / 500, providers: 5 });
  });

  it('ranks the value among the other providers: one below, two tied → (1 + 2/2) / 4', () => {
    expect(entry.percentileRank).toEqual({ value: 50, peers: 4 });
  });

  it('judges the value in the funnel and reads the SPC icons of the series', () => {
    expect(entry.funnel).toMatchObject({ available: true, judgement: 'as-expected', band: 'within' });
    // A target of 80 % lies far above the p-chart's limits (≈ 61 % ± 15 %): consistently failed.
    expect(entry.spc).toEqual({ available: true, kind: 'p', variation: 'common_cause', assurance: 'consistent_fail', points: 5, lastPeriod: 'Q5' });
  });

  it('gives the spread of all values for a spine chart: 60, 62, 62, 62, 70 → quartiles 62 and 62 (R type 7)', () => {
    expect(entry.peerRange).toEqual({ minimum: 60, lowerQuartile: 62, upperQuartile: 62, maximum: 70, providers: 5 });
  });

  it('withholds a suppressed value and its rank but still gives the benchmark of the published providers', () => {
    const small = [...rows, withhold(row('TINY', 2, 10))];
    const hidden = profileEntry({ indicator, organisationCode: 'TINY', rows: small, peer: peerFunnel(indicator, small, options), series: [], targets: [] });
    expect(hidden).toMatchObject({ reported: true, suppressed: true, value: null, lower: null, percentileRank: { value: null }, funnel: { z: null, judgement: null } });
    expect(hidden.benchmark).toEqual(entry.benchmark);
    expect(hidden.spc).toMatchObject({ available: false });
    expect(hidden.peerRange).toEqual(entry.peerRange);
  });

  it('ranks and spreads a provider among its published peers only', () => {
    const small = [...rows, withhold(row('TINY', 2, 10))];
    const ranked = profileEntry({ indicator, organisationCode: 'ME', rows: small, peer: peerFunnel(indicator, small, options), series, targets: [] });
    expect(ranked.percentileRank).toEqual(entry.percentileRank);
    expect(ranked.peerRange).toEqual(entry.peerRange);
  });

  it('charts its series without a suppressed period, which still counts as a point', () => {
    const gap = series.map((observation) => (observation.period === 'Q3' ? withhold(observation) : observation));
    const withGap = profileEntry({ indicator, organisationCode: 'ME', rows, peer: peerFunnel(indicator, rows, options), series: gap, targets: [] });
    expect(withGap.spc).toEqual({ available: true, kind: 'p', variation: 'common_cause', assurance: 'consistent_fail', points: 5, lastPeriod: 'Q5' });
  });

  it('judges SPC assurance against the dated standard in force at the last period, not the indicator’s single target', () => {
    // An interim 60 % from 2024-04-01 lies inside the p-chart's limits (61 % ± 3√(0.61 × 0.39 / 100) = 46.4 %–75.6 %).
    const targets = [{ kind: 'operational' as const, validFrom: '2024-04-01', validTo: null, value: 60, source: 'Planning guidance', note: null, network: null }];
    const dated = profileEntry({ indicator, organisationCode: 'ME', rows, peer: peerFunnel(indicator, rows, options), series, targets });
    expect(dated.spc).toMatchObject({ available: true, assurance: 'inconsistent' });
  });

  it('says when the provider did not report in the period', () => {
    const absent = profileEntry({ indicator, organisationCode: 'GONE', rows, peer: peerFunnel(indicator, rows, options), series, targets: [] });
    expect(absent).toMatchObject({ reported: false, value: null, percentileRank: { value: null, peers: 5 } });
  });
});
