import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/** Every network the caller may see, with its members and how many of them give concern (the home page's figures). */
export const load: PageLoad = async ({ fetch, url }) => {
  const api = createApiClient(fetch);
  return { summary: await ok(await api.api.variation.networks.$get({ query: {} })), kind: url.searchParams.get('kind') ?? '' };
};
