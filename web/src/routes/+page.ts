import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  const api = createApiClient(fetch);
  return { summary: await ok(await api.api.variation.networks.$get({ query: {} })) };
};
