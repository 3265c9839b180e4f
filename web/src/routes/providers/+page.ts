import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/** Every provider (organisations other than ICBs and regions), or a network's members; with `q`, the networks and indicators matching it too. */
export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const q = url.searchParams.get('q')?.trim() ?? '';
  const network = url.searchParams.get('network') ?? '';
  const [organisations, networks, found] = await Promise.all([
    ok(await api.api.organisations.$get({ query: network ? { network, limit: '10000' } : { limit: '10000' } })),
    ok(await api.api.networks.$get({ query: {} })),
    q ? ok(await api.api.search.$get({ query: { q, limit: '20' } })) : undefined,
  ]);
  return {
    q,
    network,
    providers: organisations.organisations.filter((organisation) => organisation.kind !== 'icb' && organisation.kind !== 'region'),
    networks: networks.networks,
    found,
  };
};
