import { isHttpError } from '@sveltejs/kit';
import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

/** How many most similar providers each member is judged against when the finder's benchmark is its nearest neighbours. */
const nearestPeers = 10;

/**
 * The finder's benchmark as the URL holds it (`against`): all providers (absent), each member's own nearest
 * neighbours (`nearest`), or a saved peer set (`set-ID`), as the API's benchmark=peers parameters.
 */
function benchmarkQuery(against: string | null): Record<string, string> {
  if (against === 'nearest') return { benchmark: 'peers', nearest: 'true', k: String(nearestPeers) };
  const set = against?.match(/^set-(\d+)$/);
  return set ? { benchmark: 'peers', peers: set[1] } : {};
}

export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const [networks, attributes, sets] = await Promise.all([
    api.api.networks.$get({ query: {} }).then(ok),
    api.api.peers.attributes.$get().then(ok),
    api.api.peers.sets.$get().then(ok),
  ]);
  // Peers are offered only when the data can make them: numeric attributes to find neighbours by, or a saved set.
  const peerChoices = {
    nearest: attributes.attributes.some((attribute) => attribute.type === 'numeric') ? nearestPeers : null,
    sets: sets.sets.filter((set) => set.members >= 3).map((set) => ({ id: set.id, name: set.name, members: set.members })),
  };
  const network = url.searchParams.get('network');
  if (!network) return { networks: networks.networks, peerChoices, variation: null, query: {}, against: null, peerError: null };
  const query = { network, ...pickParams(url, ['period', 'recent', 'persistence']), ...methodQuery(url) };
  const against = url.searchParams.get('against');
  const peers = benchmarkQuery(against);
  if (Object.keys(peers).length > 0) {
    try {
      return { networks: networks.networks, peerChoices, variation: await api.api.variation.$get({ query: { ...query, ...peers } }).then(ok), query, against, peerError: null };
    } catch (error) {
      // A peer group the data cannot make (a set since deleted, too few peers) says why beside the findings against all providers.
      if (!isHttpError(error) || error.status >= 500) throw error;
      const variation = await api.api.variation.$get({ query }).then(ok);
      return { networks: networks.networks, peerChoices, variation, query, against: null, peerError: error.body.message };
    }
  }
  return { networks: networks.networks, peerChoices, variation: await api.api.variation.$get({ query }).then(ok), query, against: null, peerError: null };
};
