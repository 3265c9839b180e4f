import { redirect } from '@sveltejs/kit';
import type { RequestHandler } from './$types';

/**
 * The builder's form lands here and is sent on to GET /api/packs, whose file the browser then downloads: a plain
 * HTML form submits its empty choices ("the convention's own adjustment") and one field per ticked indicator,
 * which become absent parameters and one comma-separated list.
 */
export const GET: RequestHandler = ({ url }) => {
  const query = new URLSearchParams();
  for (const [name, value] of url.searchParams) {
    if (value.trim() === '' || name === 'indicators') continue;
    query.set(name, value);
  }
  const indicators = url.searchParams.getAll('indicators').filter((code) => code.trim() !== '');
  if (indicators.length > 0) query.set('indicators', indicators.join(','));
  redirect(303, `/api/packs?${query}`);
};
