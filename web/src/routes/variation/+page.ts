import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const networks = await api.api.networks.$get({ query: {} }).then(ok);
  const network = url.searchParams.get('network');
  if (!network) return { networks: networks.networks, variation: null, query: {} };
  const query = { network, ...pickParams(url, ['period', 'recent', 'persistence']), ...methodQuery(url) };
  return { networks: networks.networks, variation: await api.api.variation.$get({ query }).then(ok), query };
};
