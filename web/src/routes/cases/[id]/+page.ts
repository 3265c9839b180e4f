import { error } from '@sveltejs/kit';
import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/** One case with its history and the policy's stages; a refused form comes back with its code. */
export const load: PageLoad = async ({ fetch, params, url }) => {
  if (!/^[1-9]\d{0,9}$/.test(params.id)) error(404, { message: `No case ${params.id}` });
  const api = createApiClient(fetch);
  const [detail, policy] = await Promise.all([api.api.cases[':id'].$get({ param: { id: params.id } }).then(ok), api.api.cases.policy.$get().then(ok)]);
  return { detail, policy, refused: url.searchParams.get('error'), saved: url.searchParams.get('saved') };
};
