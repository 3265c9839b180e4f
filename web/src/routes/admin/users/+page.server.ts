import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';

/** Admins only: anyone else is told so, and nothing is asked of the API. */
export const load: PageServerLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  const outcome = { user: url.searchParams.get('user'), saved: url.searchParams.get('saved'), error: url.searchParams.get('error') };
  if (viewer.role !== 'admin') return { users: [], networks: [], ...outcome };
  const api = createApiClient(fetch).api.admin;
  const [{ users }, { networks }] = await Promise.all([api.users.$get().then(ok), api.networks.$get().then(ok)]);
  return { users, networks, ...outcome };
};
