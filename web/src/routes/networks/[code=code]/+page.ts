import { createApiClient, ok } from '$lib/api';
import { networkPeriods } from '$lib/network-periods';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const query = { network: params.code, ...pickParams(url, ['period']), ...methodQuery(url) };
  const [overview, network] = await Promise.all([
    api.api.overview.$get({ query }).then(ok),
    api.api.networks[':code'].$get({ param: { code: params.code }, query: {} }).then(ok),
  ]);
  const periods = await networkPeriods(api, overview.indicators.map((indicator) => indicator.code));
  return { overview, network, periods, query };
};
