/**
 * What the network's variation is worth, for the board: per indicator of the pack, the events the members would
 * avoid, or the patients who would additionally meet the standard, if each performed at the pooled value of all
 * providers, from shrunken estimates, with the network's total, its 95 % interval and the largest contributors.
 * Asked of `GET /api/opportunity` as the pack's caller and with the pack's threshold, so a withheld member has no
 * figure here either and is in no total.
 */
import { formatIndicatorValue } from '../analysis/finding-sentence';
import type { PackPage } from './pack-pages';

type ApiRequest = (path: string) => Response | Promise<Response>;

/** The part of `GET /api/opportunity`'s answer a pack shows. */
export interface PackOpportunityIndicator {
  code: string;
  name: string;
  unit: string;
  multiplier: number;
  measureKind: 'proportion' | 'crude_rate' | 'indirectly_standardised_ratio' | 'directly_standardised_rate' | 'mean';
  period: { label: string };
  available: boolean;
  reason: string | null;
  benchmark: { kind: string; value: number } | null;
  counts: 'fewer-events' | 'more-patients' | null;
  total: { opportunity: number; lower: number; upper: number; providers: number; withheld: number } | null;
  providers: { code: string; name: string; suppressed: boolean; opportunity: number | null }[];
}

export interface PackOpportunity {
  indicators: PackOpportunityIndicator[];
}

/** The network's opportunity on the pack's indicators, largest total first, at the pack's method and threshold. */
export async function gatherOpportunity(
  request: ApiRequest,
  pack: { network: string; period: string; indicators: readonly string[]; method: Record<string, string | number | undefined> },
): Promise<PackOpportunity> {
  const params = new URLSearchParams({ network: pack.network, period: pack.period, benchmark: 'pooled' });
  for (const [name, value] of Object.entries(pack.method)) if (value !== undefined) params.set(name, String(value));
  const response = await request(`/api/opportunity?${params.toString()}`);
  if (!response.ok) throw new Error(`/api/opportunity answered ${response.status}`);
  const chosen = new Set(pack.indicators);
  const body = (await response.json()) as PackOpportunity;
  return { indicators: body.indicators.filter((one) => chosen.has(one.code) && one.available) };
}

/** Rows on one opportunity page; more continue on the next. */
const rowsPerPage = 6;
const whole = (value: number) => Math.round(value).toLocaleString('en-GB');

/** The opportunity page, when the pack's indicators have any that can be sized. */
export function opportunityPages(opportunity: PackOpportunity | undefined, period: string): PackPage[] {
  const sized = opportunity?.indicators.filter((one) => one.total !== null && one.benchmark !== null) ?? [];
  if (sized.length === 0) return [];
  const rows = sized.map((one) => {
    const leaders = one.providers.filter((member) => (member.opportunity ?? 0) >= 0.5).slice(0, 2);
    return [
      one.name,
      leaders.length === 0 ? 'None: every member at or better than the benchmark' : leaders.map((member) => `${member.name} ${whole(member.opportunity!)}`).join('; '),
      formatIndicatorValue(one.benchmark!.value, one),
      whole(one.total!.opportunity),
      `${whole(one.total!.lower)} to ${whole(one.total!.upper)}`,
      `${one.counts === 'more-patients' ? 'more patients meeting the standard' : 'fewer events'}${one.total!.withheld > 0 ? ` (${one.total!.withheld} withheld)` : ''}`,
    ];
  });
  const note = `In ${period}, how many events the members would avoid, or how many more patients would meet the standard, if each performed at the pooled value of all providers, from shrunken estimates so that chance does not inflate it; members better than the benchmark add nothing. Largest total first.`;
  const header = ['Indicator', 'Largest contributors', 'Benchmark', 'Network total', '95 % interval', 'Counts'];
  return Array.from({ length: Math.ceil(rows.length / rowsPerPage) }, (_, page) => ({
    kind: 'summary' as const,
    title: page === 0 ? 'What the variation is worth' : 'What the variation is worth (continued)',
    note,
    header,
    rows: rows.slice(page * rowsPerPage, (page + 1) * rowsPerPage),
  }));
}
