import { describe, expect, it } from 'vitest';
import { emphasisFor, highlightedSummary, judgementCounts, providerPointSeries, providersShown } from './provider-points';
import type { ProviderMeasurement } from './types';

const provider = (id: string, judgement: ProviderMeasurement['judgement'], extra: Partial<ProviderMeasurement> = {}): ProviderMeasurement => ({
  id,
  name: `Provider ${id}`,
  value: 1,
  judgement,
  ...extra,
});

describe('provider points', () => {
  it('leaves off suppressed providers and those without a value, and counts each in the footnote', () => {
    const { shown, notes } = providersShown(
      [provider('A', 'better'), provider('B', 'worse', { suppressed: true }), provider('C', 'worse', { suppressed: true }), provider('D', 'as-expected', { value: Number.NaN })],
      (candidate) => Number.isFinite(candidate.value),
    );
    expect(shown.map((candidate) => candidate.id)).toEqual(['A']);
    expect(notes).toEqual(['2 providers not shown: small numbers suppressed.', '1 provider not shown: no value for the period.']);
  });

  it('fades providers outside the network only when a network is on the chart', () => {
    const network = [provider('A', 'better', { highlighted: true }), provider('B', 'worse')];
    expect(network.map(emphasisFor(network))).toEqual(['highlighted', 'faded']);
    const none = [provider('A', 'better'), provider('B', 'worse')];
    expect(none.map(emphasisFor(none))).toEqual(['normal', 'normal']);
  });

  it('makes one series per judgement and emphasis, network members on top', () => {
    const shown = [provider('A', 'worse', { highlighted: true }), provider('B', 'worse'), provider('C', 'as-expected')];
    const series = providerPointSeries(shown, { item: (candidate) => ({ name: candidate.name }), labelled: true, labelRank: (candidate) => (candidate.highlighted ? 0 : undefined) });
    expect(series.map((each) => each.id)).toEqual(['providers-as-expected-faded', 'providers-worse-faded', 'providers-worse-highlighted']);
    expect(series[2].label?.show).toBe(true);
    expect(series[1].label?.show).toBe(false);
    expect(Number(series[2].z)).toBeGreaterThan(Number(series[1].z));
  });

  it('names the providers given a rank, carrying the rank and width for placement, and hides the other names of a named series', () => {
    const shown = [provider('A', 'worse'), provider('B', 'as-expected'), provider('C', 'better'), provider('D', 'better')];
    const ranks = new Map([['A', 0], ['C', 1]]);
    const series = providerPointSeries(shown, { item: (candidate) => ({ name: candidate.name }), labelled: true, labelRank: (candidate) => ranks.get(candidate.id), labelMaxWidth: 120 });
    expect(series.filter((each) => each.label?.show).map((each) => each.id)).toEqual(['providers-better-normal', 'providers-worse-normal']);
    expect(series.find((each) => each.id === 'providers-better-normal')?.data).toEqual([{ name: 'Provider C', labelRank: 1, labelMaxWidth: 120 }, { name: 'Provider D', label: { show: false } }]);
    expect(series.find((each) => each.id === 'providers-as-expected-normal')?.data).toEqual([{ name: 'Provider B' }]);
    const unlabelled = providerPointSeries(shown, { item: (candidate) => ({ name: candidate.name }), labelled: false, labelRank: (candidate) => ranks.get(candidate.id) });
    expect(unlabelled.every((each) => each.label?.show === false)).toBe(true);
  });

  it('counts judgements signals first, and names the network with theirs', () => {
    const shown = [provider('A', 'as-expected', { highlighted: true }), provider('B', 'worse'), provider('C', 'as-expected')];
    expect(judgementCounts(shown)).toBe('1 worse than expected, 2 as expected');
    expect(highlightedSummary(shown)).toBe('Highlighted: Provider A (as expected).');
    expect(highlightedSummary([provider('B', 'worse')])).toBe('');
  });
});
