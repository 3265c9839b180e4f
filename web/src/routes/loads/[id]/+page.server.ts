import { error } from '@sveltejs/kit';
import { createApiClient, ok } from '$lib/api';
import { mayLoad } from '../batch-status';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, parent, url }) => {
  const { viewer } = await parent();
  if (!mayLoad(viewer.role)) return { allowed: false as const, detail: null, confirming: false, error: null };
  if (!/^[1-9]\d{0,9}$/.test(params.id)) error(404, { message: `No load batch ${params.id}` });
  return {
    allowed: true as const,
    detail: await createApiClient(fetch).api.batches[':id'].$get({ param: { id: params.id } }).then(ok),
    // "Roll back this load" asks first: a link to this page with ?confirm, so it works without script.
    confirming: url.searchParams.has('confirm'),
    // The API sends a refused rollback back here with its code.
    error: url.searchParams.get('error'),
  };
};
