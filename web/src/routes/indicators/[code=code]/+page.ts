import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const query = { indicator: params.code, ...pickParams(url, ['period', 'network']), ...(url.searchParams.get('networkOnly') === 'true' ? { networkOnly: 'true' as const } : {}), ...methodQuery(url) };
  const [detail, funnel, networks] = await Promise.all([
    api.api.indicators[':code'].$get({ param: { code: params.code } }).then(ok),
    api.api.funnel.$get({ query }).then(ok),
    api.api.networks.$get({ query: {} }).then(ok),
  ]);
  return { detail, funnel, networks: networks.networks, query };
};
