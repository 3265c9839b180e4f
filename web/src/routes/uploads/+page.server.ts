import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';

/** Only analysts and admins may load data: anyone else is told so, and nothing is asked of the API. */
export const load: PageServerLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  if (viewer.role !== 'analyst' && viewer.role !== 'admin') return { allowed: false as const, uploads: [], error: null };
  const { uploads } = await createApiClient(fetch).api.uploads.$get({ query: {} }).then(ok);
  return { allowed: true as const, uploads, error: url.searchParams.get('error') };
};
