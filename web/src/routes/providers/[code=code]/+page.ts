import { browser } from '$app/environment';
import { createApiClient, ok } from '$lib/api';
import { methodQuery, pickParams } from '$lib/state/url-state';
import type { PageLoad } from './$types';

type SpcChartKind = 'p' | 'pprime' | 'u' | 'uprime' | 'xmr';

/**
 * One indicator's SPC settings as the URL holds them (`chart-<CODE>`, `baseline-<CODE>`, `rebase-<CODE>`,
 * `benchmark-<CODE>`); the API validates them. Against peers, the peers are the provider's 10 most similar.
 */
function spcSettings(url: URL, code: string): { chart?: SpcChartKind; baseline?: string; rebase?: string; benchmark?: 'peers' } {
  const value = (name: string) => url.searchParams.get(`${name}-${code}`) || undefined;
  return { chart: value('chart') as SpcChartKind | undefined, baseline: value('baseline'), rebase: value('rebase'), benchmark: value('benchmark') === 'peers' ? 'peers' : undefined };
}

/** The number of most similar providers the SPC section judges assurance against. */
const spcPeers = 10;

export const load: PageLoad = async ({ fetch, params, url }) => {
  const api = createApiClient(fetch);
  const method = methodQuery(url);
  const query = { ...pickParams(url, ['period']), ...method };
  const [organisation, profile] = await Promise.all([
    api.api.organisations[':code'].$get({ param: { code: params.code } }).then(ok),
    api.api.profile[':code'].$get({ param: { code: params.code }, query }).then(ok),
  ]);
  const reported = profile.indicators.filter((entry) => entry.reported);
  // Per indicator, streamed: the page shows the profile while the series load. They are asked for by the browser
  // only (this load runs again there as the page hydrates): asked for on the server, a funnel per period for each
  // indicator would keep the one process busy while it renders the page, delaying its first paint.
  const later = <T>(request: () => Promise<T>): Promise<T> => (browser ? request() : new Promise<T>(() => {}));
  // Whether the provider has peers to judge assurance against: attributes loaded for it and for at least three others.
  const peers = later(() =>
    api.api.peers.nearest.$get({ query: { of: params.code, k: String(spcPeers) } }).then(ok).then(
      (nearest) => (nearest.peers.length >= 3 ? { available: true as const, count: nearest.peers.length, attributes: nearest.attributes.map((attribute) => attribute.name) } : { available: false as const, reason: `only ${nearest.peers.length} similar providers have the same attributes loaded; a peer benchmark needs 3` }),
      (error) => ({ available: false as const, reason: String(error?.body?.message ?? error?.message ?? 'no attributes are loaded for it') }),
    ),
  );
  const trends = reported.map((entry) => {
    const settings = spcSettings(url, entry.indicator.code);
    const defined = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)) as typeof settings;
    const query = { ...defined, ...(settings.benchmark === 'peers' && { peersOf: params.code, k: String(spcPeers) }) };
    return {
      code: entry.indicator.code,
      settings,
      query,
      spc: later(() => api.api.trends.spc.$get({ query: { indicator: entry.indicator.code, organisation: params.code, ...query } }).then(ok)),
      positions: later(() => api.api.trends['funnel-position'].$get({ query: { indicator: entry.indicator.code, organisation: params.code, ...method } }).then(ok)),
    };
  });
  return { organisation, profile, trends, query, peers };
};
