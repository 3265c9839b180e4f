import { createApiClient, ok } from '$lib/api';
import { networkPeriods } from '$lib/network-periods';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const { networks } = await api.api.networks.$get({ query: {} }).then(ok);
  const network = url.searchParams.get('network');
  if (!network) return { networks, chosen: null };
  // The indicators the network's members report, with each one's latest period.
  const overview = await api.api.overview.$get({ query: { network } }).then(ok);
  const periods = await networkPeriods(api, overview.indicators.map((indicator) => indicator.code));
  return { networks, chosen: { network: overview.network, indicators: overview.indicators, periods } };
};
