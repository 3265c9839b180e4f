import { browser } from '$app/environment';
import { createApiClient, ok } from '$lib/api';

/**
 * What changed since the last load, and the signed-in reader's alerts, for the components that show them. Asked
 * for by the browser only, after the page has painted (the server renders the page without them).
 */
const api = () => createApiClient(fetch);

const inBrowser = <T>(load: () => Promise<T>): Promise<T> => (browser ? load() : new Promise<T>(() => {}));

export const latestChanges = (query: { network?: string; limit?: string }) => inBrowser(() => api().api.changes.$get({ query }).then(ok));
export const inboxOf = () => inBrowser(() => api().api.alerts.inbox.$get({ query: {} }).then(ok));
export const subscriptionsOf = () => inBrowser(() => api().api.alerts.subscriptions.$get().then(ok));
export const deliveriesOf = () => inBrowser(() => api().api.alerts.deliveries.$get({ query: {} }).then(ok));

export type ChangeList = Awaited<ReturnType<typeof latestChanges>>;
export type ChangeEvent = ChangeList['events'][number];
export type Change = ChangeEvent['changes'][number];

/** Concerns first (now beyond a limit, worse, higher or lower), then the rest, as a board reads them. */
export const concernFirst = (changes: readonly Change[]) =>
  [...changes].sort((a, b) => Number(b.after.judgement === 'worse' || b.after.judgement === 'higher' || b.after.judgement === 'lower') - Number(a.after.judgement === 'worse' || a.after.judgement === 'higher' || a.after.judgement === 'lower'));

export const changeLabels: Record<string, string> = {
  entered: 'Now outside the limits',
  left: 'Back inside the limits',
  band_changed: 'Moved between limits',
  persistent_new: 'New persistent outlier',
  persistent_ended: 'No longer persistent',
};

export const when = (iso: string) => new Date(iso).toLocaleString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' }) + ' UTC';
