/**
 * What the network is doing about its findings, for the board: its outlier cases with their stage and due date,
 * the notes written on its providers' charts and the lead's commentary, each with author and date. Asked of the
 * API's own routes as the pack's caller, so a restricted network's cases and notes appear only in its members'
 * packs. The cases carry no figure (the pack's other pages give the findings' figures, suppressed as everywhere).
 */
import type { PackPage } from './pack-pages';

/** A GET of one of the API's own routes, answered in process. */
type ApiRequest = (path: string) => Response | Promise<Response>;

export interface PackCase {
  id: number;
  indicator: { code: string; name: string };
  organisation: { code: string; name: string };
  period: string;
  stage: { id: string; label: string; final: boolean };
  dueOn: string | null;
  overdue: boolean;
  owner: string;
  closedAt: string | null;
}

export interface PackNote {
  indicator: { code: string; name: string };
  /** The provider the note is on; null for the lead's commentary on the network. */
  organisation: { code: string; name: string } | null;
  period: string;
  text: string;
  author: string;
  /** ISO time written (or last changed, for commentary). */
  writtenAt: string;
  chart: 'spc' | 'funnel_position' | 'commentary';
}

export interface PackCasework {
  cases: PackCase[];
  notes: PackNote[];
}

async function answer<T>(request: ApiRequest, path: string): Promise<T> {
  const response = await request(path);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** The network's cases on the pack's indicators (open ones, and any of the pack's period), its chart notes and the commentary for the period. */
export async function gatherCasework(request: ApiRequest, pack: { network: string; period: string; indicators: readonly string[] }): Promise<PackCasework> {
  const chosen = new Set(pack.indicators);
  const network = encodeURIComponent(pack.network);
  const indicators = encodeURIComponent(pack.indicators.join(','));
  const [cases, annotations, commentary] = await Promise.all([
    answer<{ cases: PackCase[] }>(request, `/api/cases?network=${network}&status=all`),
    answer<{ annotations: (Omit<PackNote, 'writtenAt' | 'organisation'> & { organisation: { code: string; name: string }; createdAt: string })[] }>(request, `/api/annotations?network=${network}&indicator=${indicators}`),
    answer<{ commentary: { indicator: { code: string; name: string }; period: string; text: string; author: string; updatedAt: string }[] }>(
      request,
      `/api/commentary?network=${network}&indicator=${indicators}&period=${encodeURIComponent(pack.period)}`,
    ),
  ]);
  return {
    cases: cases.cases.filter((one) => chosen.has(one.indicator.code) && (one.closedAt === null || one.period === pack.period)),
    notes: [
      ...commentary.commentary.map((one): PackNote => ({ indicator: one.indicator, organisation: null, period: one.period, text: one.text, author: one.author, writtenAt: one.updatedAt, chart: 'commentary' })),
      ...annotations.annotations.map((one): PackNote => ({ indicator: one.indicator, organisation: one.organisation, period: one.period, text: one.text, author: one.author, writtenAt: one.createdAt, chart: one.chart })),
    ],
  };
}

/** Rows on one page of cases or notes: the summary page's table, whose rows a long note makes tall. */
export const caseworkRowsPerPage = 6;
/** A note longer than this is shortened on the page; the dashboard has it whole. */
export const noteCharacters = 280;

const shortDate = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
const dateOf = (iso: string) => shortDate.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));
const chartNames = { spc: 'SPC chart', funnel_position: 'funnel position', commentary: 'network commentary' } as const;

function shortened(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= noteCharacters ? flat : `${flat.slice(0, noteCharacters - 1).trimEnd()}…`;
}

function paged(title: string, note: string, header: string[], rows: string[][]): PackPage[] {
  const pages = Math.max(1, Math.ceil(rows.length / caseworkRowsPerPage));
  return Array.from({ length: pages }, (_, page) => ({
    kind: 'summary' as const,
    title: page === 0 ? title : `${title} (continued)`,
    note,
    header,
    rows: rows.slice(page * caseworkRowsPerPage, (page + 1) * caseworkRowsPerPage),
  }));
}

/** The cases page and the notes-and-commentary page, each only when there is something to show. */
export function caseworkPages(casework: PackCasework | undefined, period: string): PackPage[] {
  if (!casework) return [];
  const pages: PackPage[] = [];
  if (casework.cases.length > 0) {
    const open = casework.cases.filter((one) => one.closedAt === null);
    const overdue = open.filter((one) => one.overdue).length;
    pages.push(
      ...paged(
        'Outlier cases',
        `${open.length} open ${open.length === 1 ? 'case' : 'cases'} on the pack's indicators${overdue > 0 ? `, ${overdue} overdue` : ''}, worked through the network's outlier policy; cases of ${period} closed since are listed too.`,
        ['Indicator', 'Provider', 'Period', 'Stage', 'Due', 'Owner'],
        casework.cases.map((one) => [
          one.indicator.name,
          one.organisation.name,
          one.period,
          one.stage.label,
          one.dueOn === null ? (one.closedAt === null ? 'none' : `closed ${dateOf(one.closedAt)}`) : `${dateOf(one.dueOn)}${one.overdue ? ' (overdue)' : ''}`,
          one.owner,
        ]),
      ),
    );
  }
  if (casework.notes.length > 0) {
    pages.push(
      ...paged(
        'Notes and commentary',
        `The network lead's commentary for ${period} and the notes written on providers' charts, with who wrote them and when. A note longer than ${noteCharacters} characters is shortened here.`,
        ['Indicator', 'Note', 'Period', 'Written', 'Author', 'On'],
        casework.notes.map((one) => [
          one.indicator.name,
          shortened(one.text),
          one.period,
          dateOf(one.writtenAt),
          one.author,
          one.organisation === null ? chartNames.commentary : `${one.organisation.name}, ${chartNames[one.chart]}`,
        ]),
      ),
    );
  }
  return pages;
}
