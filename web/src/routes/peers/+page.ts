import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/** An answer the page shows in its own place (a provider without attributes, say) rather than as the error page. */
async function answerOrRefusal<T>(response: { ok: boolean; json: () => Promise<unknown> }): Promise<{ answer: T; refusal: null } | { answer: null; refusal: string }> {
  const body = (await response.json()) as T & { error?: { message?: string } };
  return response.ok ? { answer: body, refusal: null } : { answer: null, refusal: body.error?.message ?? 'The API refused the request.' };
}

const codePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$/;

/**
 * Peer sets: the saved ones (one opened with `set`), the nearest neighbours of a provider (`of`, `k`, each chosen
 * `attribute` with its `weight-NAME`, `within`) with the working, and a set picked by hand (`pick`, repeated, with
 * `q` to find providers). Everything is in the URL, so every step is a link or a GET form and works without script.
 */
export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  const params = url.searchParams;
  const setId = params.get('set');
  const of = params.get('of')?.trim().toUpperCase() ?? '';
  const chosen = params.getAll('attribute');
  const k = params.get('k') ?? '10';
  const within = params.get('within') ?? '';
  const q = params.get('q')?.trim() ?? '';
  const picks = [...new Set(params.getAll('pick').filter((code) => codePattern.test(code)))].slice(0, 200);
  const weights = chosen.map((name) => params.get(`weight-${name}`) || '1');

  const [attributes, sets, opened, nearest, found, picked] = await Promise.all([
    api.api.peers.attributes.$get().then(ok),
    api.api.peers.sets.$get().then(ok),
    setId && /^[1-9]\d{0,9}$/.test(setId) ? api.api.peers.sets[':id'].$get({ param: { id: setId } }).then((response) => answerOrRefusal<Awaited<ReturnType<typeof ok<typeof response>>>>(response)) : null,
    of
      ? api.api.peers.nearest
          .$get({ query: { of, k, ...(chosen.length > 0 ? { attributes: chosen.join(','), weights: weights.join(',') } : {}), ...(within ? { within } : {}) } })
          .then((response) => answerOrRefusal<Awaited<ReturnType<typeof ok<typeof response>>>>(response))
      : null,
    q ? api.api.search.$get({ query: { q, limit: '20' } }).then(ok) : null,
    Promise.all(picks.map(async (code) => {
      const response = await api.api.organisations[':code'].$get({ param: { code } });
      return response.ok ? { code, name: (await response.json()).organisation.name } : { code, name: null };
    })),
  ]);
  return {
    attributes: attributes.attributes,
    sets: sets.sets,
    opened,
    nearest,
    request: { of, k, chosen, weights: Object.fromEntries(chosen.map((name, i) => [name, weights[i]])), within },
    q,
    found: found?.providers ?? null,
    picked,
    saved: params.get('saved'),
    refused: params.get('error'),
  };
};
