import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const benchmark = url.searchParams.get('benchmark');
  const benchmarks = ['network', 'target'] as const;
  const query = {
    indicator: params.code,
    ...pickParams(url, ['period', 'network']),
    ...(url.searchParams.get('networkOnly') === 'true' ? { networkOnly: 'true' as const } : {}),
    ...benchmarks.filter((choice) => choice === benchmark).map((choice) => ({ benchmark: choice }))[0],
    ...(url.searchParams.get('fdr') === 'true' ? { fdr: 'true' as const } : {}),
    // The caterpillar draws shrunken estimates with rank intervals, never the raw league table.
    shrinkage: 'true' as const,
    ...methodQuery(url),
  };
  const [detail, funnel, networks] = await Promise.all([
    api.api.indicators[':code'].$get({ param: { code: params.code } }).then(ok),
    api.api.funnel.$get({ query }).then(ok),
    api.api.networks.$get({ query: {} }).then(ok),
  ]);
  return { detail, funnel, networks: networks.networks, query };
};
