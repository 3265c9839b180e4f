import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const benchmark = url.searchParams.get('benchmark');
  const benchmarks = ['network', 'target'] as const;
  // A saved peer set is chosen as `peers:ID` in the benchmark menu and asked for as benchmark=peers&peers=ID.
  const peerSet = /^peers:([1-9]\d{0,9})$/.exec(benchmark ?? '')?.[1];
  const query = {
    indicator: params.code,
    ...pickParams(url, ['period', 'network']),
    ...(url.searchParams.get('networkOnly') === 'true' ? { networkOnly: 'true' as const } : {}),
    ...benchmarks.filter((choice) => choice === benchmark).map((choice) => ({ benchmark: choice }))[0],
    ...(peerSet ? { benchmark: 'peers' as const, peers: peerSet } : {}),
    ...(url.searchParams.get('fdr') === 'true' ? { fdr: 'true' as const } : {}),
    // The caterpillar draws shrunken estimates with rank intervals, never the raw league table.
    shrinkage: 'true' as const,
    ...methodQuery(url),
  };
  const [detail, funnel, networks, peerSets] = await Promise.all([
    api.api.indicators[':code'].$get({ param: { code: params.code } }).then(ok),
    api.api.funnel.$get({ query }).then(ok),
    api.api.networks.$get({ query: {} }).then(ok),
    api.api.peers.sets.$get().then(ok),
  ]);
  return { detail, funnel, networks: networks.networks, query, peerSets: await applicablePeerSets(api, peerSets.sets, query, peerSet ? null : funnel.providers) };
};

/**
 * The saved peer sets a funnel of this indicator and period can be benchmarked on: those with at least 3 members
 * among the providers it has (the API's least peer group). With a peer set chosen the funnel holds only its
 * members, so the providers are asked for once more without it.
 */
async function applicablePeerSets(
  api: ReturnType<typeof createApiClient>,
  sets: { id: number; name: string; members: number }[],
  query: Record<string, string>,
  providers: { code: string }[] | null,
) {
  const candidates = sets.filter((set) => set.members >= 3).slice(0, 50);
  if (candidates.length === 0) return [];
  const { benchmark: _benchmark, peers: _peers, ...allProviders } = query;
  const reporting = new Set((providers ?? (await api.api.funnel.$get({ query: { ...allProviders, indicator: query.indicator } }).then(ok)).providers).map((provider) => provider.code));
  const detailed = await Promise.all(candidates.map((set) => api.api.peers.sets[':id'].$get({ param: { id: String(set.id) } }).then(ok)));
  return detailed.filter((set) => set.members.filter((member) => reporting.has(member.code)).length >= 3).map((set) => ({ id: set.id, name: set.name }));
}
