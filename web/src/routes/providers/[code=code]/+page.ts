import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const method = methodQuery(url);
  const query = { ...pickParams(url, ['period']), ...method };
  const [organisation, profile] = await Promise.all([
    api.api.organisations[':code'].$get({ param: { code: params.code } }).then(ok),
    api.api.profile[':code'].$get({ param: { code: params.code }, query }).then(ok),
  ]);
  const reported = profile.indicators.filter((entry) => entry.reported);
  // Per indicator, streamed: the page shows the profile while the series load.
  const trends = reported.map((entry) => ({
    code: entry.indicator.code,
    spc: api.api.trends.spc.$get({ query: { indicator: entry.indicator.code, organisation: params.code } }).then(ok),
    positions: api.api.trends['funnel-position'].$get({ query: { indicator: entry.indicator.code, organisation: params.code, ...method } }).then(ok),
  }));
  return { organisation, profile, trends, query };
};
