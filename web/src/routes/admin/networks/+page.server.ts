import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';

/** Admins only: anyone else is told so, and nothing is asked of the API. */
export const load: PageServerLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  const outcome = { network: url.searchParams.get('network'), saved: url.searchParams.get('saved'), error: url.searchParams.get('error') };
  if (viewer.role !== 'admin') return { networks: [], ...outcome };
  const { networks } = await createApiClient(fetch).api.admin.networks.$get().then(ok);
  return { networks, ...outcome };
};
