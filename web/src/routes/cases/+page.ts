import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/** The outlier cases of the networks the reader may see, by network, status and whether overdue. */
export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const network = url.searchParams.get('network') || undefined;
  const status = (['open', 'closed', 'all'] as const).find((one) => one === url.searchParams.get('status')) ?? 'open';
  const overdue = url.searchParams.get('overdue') === 'true' ? ('true' as const) : undefined;
  const [networks, list] = await Promise.all([
    api.api.networks.$get({ query: {} }).then(ok),
    api.api.cases.$get({ query: { ...(network ? { network } : {}), status, ...(overdue ? { overdue } : {}) } }).then(ok),
  ]);
  return { networks: networks.networks, list, query: { network: network ?? '', status, overdue: overdue === 'true' } };
};
