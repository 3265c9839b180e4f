import { redirect } from '@sveltejs/kit';
import { createApiClient, ok } from '$lib/api';
import type { LayoutServerLoad } from './$types';

/**
 * Who is looking, for the header. When the API requires an identity, a visitor without one is sent to sign
 * in and brought back here; the URL is read only then, so other navigations do not rerun this load.
 */
export const load: LayoutServerLoad = async ({ fetch, url }) => {
  const viewer = await ok(await createApiClient(fetch).api.auth.me.$get());
  if (viewer.kind === 'anonymous' && url.pathname !== '/sign-in') {
    const returnTo = encodeURIComponent(url.pathname + url.search);
    redirect(303, viewer.signInAvailable ? `/api/auth/sign-in?returnTo=${returnTo}` : viewer.localSignInAvailable ? `/sign-in?returnTo=${returnTo}` : '/sign-in?error=not_configured');
  }
  return { viewer };
};
