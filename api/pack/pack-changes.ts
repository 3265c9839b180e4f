/**
 * What changed since the last load, for the board: the latest load's (or rollback's) verdict changes among the
 * network's members, asked of `GET /api/changes` as the pack's caller and with its threshold, so a withheld
 * member's verdicts are withheld here too. The pack leads with it, after its title page.
 */
import { outliersByChance } from '../stats/chance';
import type { PackPage } from './pack-pages';

type ApiRequest = (path: string) => Response | Promise<Response>;

interface Verdict {
  band: string | null;
  judgement: string | null;
}

/** The part of `GET /api/changes`'s answer a pack shows. */
export interface PackChanges {
  event: {
    kind: 'load' | 'rollback';
    batchId: number;
    occurredAt: string;
    measures: { judged: number }[];
    changes: { indicator: { code: string; name: string }; period: string; organisation: { code: string; name: string }; change: string; before: Verdict; after: Verdict; withheld: boolean }[];
  } | null;
}

/** The latest load's changes among the network's members, asked with the pack's threshold and, below the floor, its reason. */
export async function gatherChanges(
  request: ApiRequest,
  pack: { network: string; suppression?: number; suppressionReason?: string },
): Promise<PackChanges> {
  const params = new URLSearchParams({ network: pack.network, limit: '1' });
  if (pack.suppression !== undefined) params.set('suppression', String(pack.suppression));
  if (pack.suppressionReason !== undefined) params.set('suppressionReason', pack.suppressionReason);
  const response = await request(`/api/changes?${params.toString()}`);
  if (!response.ok) throw new Error(`/api/changes answered ${response.status}`);
  const body = (await response.json()) as { events: NonNullable<PackChanges['event']>[] };
  return { event: body.events[0] ?? null };
}

const changeWords: Record<string, string> = {
  entered: 'now outside the limits',
  left: 'back inside the limits',
  band_changed: 'moved between limits',
  persistent_new: 'new persistent outlier',
  persistent_ended: 'no longer persistent',
};

const band = (verdict: Verdict) => (verdict.band === null ? 'not judged' : verdict.band === 'within' ? 'within 95 %' : `${verdict.band.replace('-', ' ')} %${verdict.judgement && verdict.judgement !== 'as-expected' ? `, ${verdict.judgement}` : ''}`);

const rowsPerPage = 8;
const dateTime = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/London' });

/** The "What changed since the last load" page (continued over more when long); none when the latest load changed no member's verdict. */
export function changePages(changes: PackChanges | undefined): PackPage[] {
  const event = changes?.event;
  if (!event || event.changes.length === 0) return [];
  const judged = event.measures.reduce((sum, measure) => sum + measure.judged, 0);
  const what = event.kind === 'rollback' ? `Load ${event.batchId} was rolled back on ${dateTime.format(new Date(event.occurredAt))} (a correction)` : `Load ${event.batchId}, ${dateTime.format(new Date(event.occurredAt))}`;
  const note = `${what}: ${event.changes.length} verdict ${event.changes.length === 1 ? 'change' : 'changes'} among the network's members, judged in the funnel of all providers with each indicator's own convention. Chance alone puts about ${outliersByChance(judged, 0.998).expected.toFixed(1)} of the ${judged} results judged beyond 99.8 %.`;
  const rows = event.changes.map((change) =>
    change.withheld
      ? [change.organisation.name, change.indicator.name, change.period, 'withheld', '–', '–']
      : [change.organisation.name, change.indicator.name, change.period, changeWords[change.change] ?? change.change, change.change.startsWith('persistent') ? '–' : band(change.before), change.change.startsWith('persistent') ? '–' : band(change.after)],
  );
  const header = ['Provider', 'Indicator', 'Period', 'Change', 'Before', 'After'];
  const pages = Math.max(1, Math.ceil(rows.length / rowsPerPage));
  return Array.from({ length: pages }, (_, page) => ({
    kind: 'summary' as const,
    title: page === 0 ? 'What changed since the last load' : 'What changed since the last load (continued)',
    note,
    header,
    rows: rows.slice(page * rowsPerPage, (page + 1) * rowsPerPage),
  }));
}
