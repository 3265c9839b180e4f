import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/**
 * The signed-in reader's inbox, subscriptions and delivery log, rendered on the server so the page and its plain
 * forms work without script; a form comes back here with `saved` or a refusal's `error` code.
 */
export const load: PageLoad = async ({ fetch, parent, url, data }) => {
  const { viewer } = await parent();
  const signedIn = viewer.kind === 'session' || viewer.kind === 'token';
  const base = { ...data, signedIn, saved: url.searchParams.get('saved'), refused: url.searchParams.get('error') };
  if (!signedIn) return { ...base, alerts: null };
  const api = createApiClient(fetch);
  const [inbox, subscriptions, deliveries] = await Promise.all([
    api.api.alerts.inbox.$get({ query: {} }).then(ok),
    api.api.alerts.subscriptions.$get().then(ok),
    api.api.alerts.deliveries.$get({ query: {} }).then(ok),
  ]);
  return { ...base, alerts: { inbox, subscriptions, deliveries } };
};
