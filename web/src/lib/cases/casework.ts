import { browser } from '$app/environment';
import { page } from '$app/state';
import { createApiClient, ok } from '$lib/api';

/**
 * Cases, chart notes and commentary for the components that show them beside findings, charts and networks.
 * They are asked for by the browser only, after the page has painted, once per page however many components
 * show them: a form post comes back as a new page, which asks again.
 */
const answers = new Map<string, Promise<unknown>>();

function once<T>(key: string, load: () => Promise<T>): Promise<T> {
  // The server renders without them (its cache would outlive the request); the browser asks as the page hydrates.
  if (!browser) return new Promise<T>(() => {});
  if (!answers.has(key)) {
    const answer = load();
    answer.catch(() => {});
    answers.set(key, answer);
  }
  return answers.get(key) as Promise<T>;
}

const api = () => createApiClient(fetch);

export const casesOf = (query: { network?: string; organisation?: string; status?: 'open' | 'closed' | 'all'; overdue?: 'true' | 'false' }) =>
  once(`cases ${JSON.stringify(query)}`, () => api().api.cases.$get({ query }).then(ok));

export type CaseList = Awaited<ReturnType<typeof casesOf>>;
export type CaseSummary = CaseList['cases'][number];

export const notesOf = (organisation: string) => once(`notes ${organisation}`, () => api().api.annotations.$get({ query: { organisation } }).then(ok));
export type ChartNote = Awaited<ReturnType<typeof notesOf>>['annotations'][number];

export const commentaryOf = (network: string) => once(`commentary ${network}`, () => api().api.commentary.$get({ query: { network } }).then(ok));

/** Whether the person looking may write cases and notes (the API refuses anyone else whatever the page shows). */
export function mayWrite(): boolean {
  const role = (page.data as { viewer?: { role?: string | null } }).viewer?.role;
  return role === 'analyst' || role === 'admin';
}

/** Where a form comes back to: this page as it is, so the reader keeps their place. */
export const here = () => `${page.url.pathname}${page.url.search}`;

const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'Europe/London' });
/** "14 Dec 2026" from an ISO date or time. */
export const day = (iso: string) => dayFormat.format(new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso));

/** A stage as an NHS.UK tag colour: overdue red, final grey or green, otherwise blue. */
export function stageTagClass(one: Pick<CaseSummary, 'overdue' | 'stage'>): string {
  if (one.overdue) return 'nhsuk-tag nhsuk-tag--red';
  if (one.stage.id === 'escalated') return 'nhsuk-tag nhsuk-tag--orange';
  if (one.stage.final) return 'nhsuk-tag nhsuk-tag--grey';
  return 'nhsuk-tag nhsuk-tag--blue';
}

/** "Data check, due 14 Dec 2026 (overdue)": a case's stage in words. */
export function stageWords(one: Pick<CaseSummary, 'overdue' | 'stage' | 'dueOn' | 'closedAt'>): string {
  if (one.closedAt) return `${one.stage.label} on ${day(one.closedAt)}`;
  return `${one.stage.label}${one.dueOn ? `, due ${day(one.dueOn)}` : ''}${one.overdue ? ' (overdue)' : ''}`;
}

/** What a refused form's error code means, in the page's words. */
export const refusals: Record<string, string> = {
  forbidden: 'Only analysts and admins can write cases and notes.',
  unauthenticated: 'Sign in to write cases and notes.',
  invalid_transition: 'The case cannot move to that stage from the one it is at.',
  case_already_open: 'A case is already open for this finding.',
  not_a_member: 'The provider was not a member of that network in that period.',
  invalid_parameter: 'The form arrived incomplete or with a value it cannot take. Check it and try again.',
  not_found: 'The case, provider or period was not found.',
  invalid_owner: 'The owner must be a user who may see the case’s network.',
};
