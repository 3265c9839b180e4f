import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

export const load: PageLoad = async ({ fetch }) => {
  const api = createApiClient(fetch);
  return { catalogue: await api.api.indicators.$get({ query: {} }).then(ok) };
};
