import type { IndicatorOpportunity } from '../analysis/indicator-opportunity';
import { toCsv } from './csv';

const columns = [
  'network', 'indicator', 'period', 'benchmark', 'benchmarkValue', 'counts', 'rank', 'code', 'name', 'suppressed', 'events', 'size', 'value', 'estimate', 'gap', 'opportunity',
  'lower', 'upper',
] as const;

const round = (value: number | null, places: number) => (value === null ? null : Number(value.toFixed(places)));

/**
 * Opportunity sizing as a CSV for a board paper: per indicator, the network's total first (code = the
 * network's), then each member ranked by its opportunity; withheld members keep their name with every figure
 * empty. Events and opportunities to one decimal, values to four significant places. Text is defused by toCsv.
 */
export function opportunityCsv(network: { code: string; name: string }, indicators: readonly { indicator: string; period: string; sized: IndicatorOpportunity }[]): string {
  const rows = indicators.flatMap(({ indicator, period, sized }) => {
    const common = { network: network.code, indicator, period, benchmark: sized.benchmark.kind, benchmarkValue: Number(sized.benchmark.value.toPrecision(6)), counts: sized.counts };
    const empty = { suppressed: false, events: null, size: null, value: null, estimate: null, gap: null };
    return [
      { ...common, ...empty, rank: null, code: network.code, name: `${network.name} (total of ${sized.total.providers} members)`, opportunity: round(sized.total.opportunity, 1), lower: round(sized.total.lower, 1), upper: round(sized.total.upper, 1) },
      ...sized.providers.map((p) => ({
        ...common,
        rank: p.rank,
        code: p.code,
        name: p.name,
        suppressed: p.suppressed,
        events: p.events,
        size: round(p.size, 2),
        value: p.value === null ? null : Number(p.value.toPrecision(4)),
        estimate: p.estimate === null ? null : Number(p.estimate.toPrecision(4)),
        gap: round(p.gap, 1),
        opportunity: round(p.opportunity, 1),
        lower: round(p.lower, 1),
        upper: round(p.upper, 1),
      })),
    ];
  });
  return toCsv(columns, rows);
}
