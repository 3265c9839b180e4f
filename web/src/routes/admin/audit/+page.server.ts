import { createApiClient, ok } from '$lib/api';
import type { PageServerLoad } from './$types';
import { auditActions, calendarDay, nextDay, ukDayStart } from './audit-details';

const pageSize = 50;

/**
 * The audit trail for admins, filtered by a plain GET form (action, outcome, UK days from and to, both
 * inclusive) and read a page at a time; a value the form could not have sent is ignored rather than refused.
 */
export const load: PageServerLoad = async ({ fetch, parent, url }) => {
  const { viewer } = await parent();
  const asked = url.searchParams;
  const action = asked.get('action') ?? '';
  const outcome = asked.get('outcome') ?? '';
  const filters = {
    action: action in auditActions ? action : '',
    outcome: outcome === 'success' || outcome === 'failure' ? outcome : '',
    from: calendarDay(asked.get('from')) ?? '',
    to: calendarDay(asked.get('to')) ?? '',
  } as const;
  const page = Math.max(1, Math.min(20_000, Math.trunc(Number(asked.get('page'))) || 1));
  if (viewer.role !== 'admin') return { filters, page, events: [], more: false };
  const { events, more } = await createApiClient(fetch)
    .api.audit.$get({
      query: {
        action: filters.action || undefined,
        outcome: filters.outcome || undefined,
        from: filters.from ? ukDayStart(filters.from) : undefined,
        to: filters.to ? ukDayStart(nextDay(filters.to)) : undefined,
        limit: String(pageSize),
        offset: String((page - 1) * pageSize),
      },
    })
    .then(ok);
  return { filters, page, events, more };
};
