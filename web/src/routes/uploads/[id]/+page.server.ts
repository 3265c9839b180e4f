import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, url, depends }) => {
  depends('app:upload');
  return {
    upload: await createApiClient(fetch).api.uploads[':id'].$get({ param: { id: params.id } }).then(ok),
    // The API sends a refused confirmation or discard back here with its code.
    error: url.searchParams.get('error'),
  };
};
