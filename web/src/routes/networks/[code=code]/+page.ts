import { browser } from '$app/environment';
import { createApiClient, ok } from '$lib/api';
import { networkPeriods } from '$lib/network-periods';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const query = { network: params.code, ...pickParams(url, ['period']), ...methodQuery(url) };
  // Streamed, and asked for by the browser only (this load runs again there as the page hydrates): each member's
  // SPC chart is computed after the page has painted, not while the server renders it. NetworkSpcSummary shows it.
  const spcSummary = browser ? api.api.trends['network-spc-summary'].$get({ query: { network: params.code, ...pickParams(url, ['period']) } }).then(ok) : new Promise<never>(() => {});
  spcSummary.catch(() => {}); // its failure is shown by the component, not thrown as an unhandled rejection
  const [overview, network] = await Promise.all([
    api.api.overview.$get({ query }).then(ok),
    api.api.networks[':code'].$get({ param: { code: params.code }, query: {} }).then(ok),
  ]);
  const periods = await networkPeriods(api, overview.indicators.map((indicator) => indicator.code));
  return { overview, network, periods, query, spcSummary };
};
