import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const query = { network: params.code, ...pickParams(url, ['period']), ...methodQuery(url) };
  const [overview, network] = await Promise.all([
    api.api.overview.$get({ query }).then(ok),
    api.api.networks[':code'].$get({ param: { code: params.code }, query: {} }).then(ok),
  ]);
  // The periods any of the network's indicators has, newest first, for the period picker.
  const periodLists = await Promise.all(overview.indicators.map((indicator) => api.api.indicators[':code'].periods.$get({ param: { code: indicator.code } }).then(ok)));
  const periods = [...new Map(periodLists.flatMap(({ periods }) => periods).map((period) => [period.label, period.endDate])).entries()]
    .sort((a, b) => b[1].localeCompare(a[1]) || a[0].localeCompare(b[0]))
    .map(([label]) => label);
  return { overview, network, periods, query };
};
