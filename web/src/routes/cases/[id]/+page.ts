import { error } from '@sveltejs/kit';
import { createApiClient, ok } from '$lib/api';
import type { PageLoad } from './$types';

/**
 * One case with its history and the policy's stages; for analysts and admins, who may give it an owner, the users
 * who may see its network. A refused form comes back with its code.
 */
export const load: PageLoad = async ({ fetch, params, url, parent }) => {
  if (!/^[1-9]\d{0,9}$/.test(params.id)) error(404, { message: `No case ${params.id}` });
  const api = createApiClient(fetch);
  const [detail, policy, { viewer }] = await Promise.all([api.api.cases[':id'].$get({ param: { id: params.id } }).then(ok), api.api.cases.policy.$get().then(ok), parent()]);
  const writer = viewer.role === 'analyst' || viewer.role === 'admin';
  const owners = writer ? (await api.api.cases.owners.$get({ query: { network: detail.network.code } }).then(ok)).owners : [];
  return { detail, policy, owners, refused: url.searchParams.get('error'), saved: url.searchParams.get('saved') };
};
