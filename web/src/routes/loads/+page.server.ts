import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';
import { mayLoad } from './batch-status';

const pageSize = 50;

/** Only analysts and admins see the load history: anyone else is told so, and nothing is asked of the API. */
export const load: PageServerLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  if (!mayLoad(viewer.role)) return { allowed: false as const, page: null };
  const offset = Math.max(0, Math.floor(Number(url.searchParams.get('offset')) || 0));
  const page = await createApiClient(fetch)
    .api.batches.$get({ query: { limit: String(pageSize), offset: String(offset) } })
    .then(ok);
  return { allowed: true as const, page };
};
