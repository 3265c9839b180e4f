import type { MiddlewareHandler } from 'hono';
import { recordAudit } from './auth/audit.queries';
import { actorOf } from './auth/identity';
import type { AppEnv } from './context';
import { ApiError } from './errors';

/** Repeats of the same lowering by the same user within this window (a page's many requests, a pack's charts) are one audit row. */
const auditWindowMs = 60_000;

/**
 * The small-number threshold of every request, decided once, before any route runs: the configured floor
 * unless `?suppression=` raises it. Lowering it below the floor is for the roles the configuration allows
 * (analysts and admins on unpublished data, by default), with a `suppressionReason`, and is audited with who,
 * what and why; anyone else gets a 403 that says so. Routes read the result as `c.var.suppressionThreshold` and
 * hand it to the queries, which withhold small numbers as rows are read (api/queries/disclosure.queries.ts).
 */
export function disclosureControl(): MiddlewareHandler<AppEnv> {
  const lastAudited = new Map<string, number>();
  return async (c, next) => {
    const { config, db } = c.var.deps;
    const floor = config.suppressionFloor;
    const asked = c.req.query('suppression');
    if (asked === undefined) {
      c.set('suppressionThreshold', floor);
      return next();
    }
    if (!/^\d{1,4}$/.test(asked.trim()) || Number(asked) > 1000) {
      throw new ApiError(400, 'invalid_parameter', 'suppression: must be a whole number from 0 to 1000', 'suppression');
    }
    const threshold = Number(asked);
    if (threshold >= floor) {
      c.set('suppressionThreshold', threshold);
      return next();
    }
    const identity = c.get('identity');
    if (!config.suppressionLoweringRoles.includes(identity.role) || identity.kind === 'local') {
      const who = config.suppressionLoweringRoles.length === 0 ? 'nobody may lower it' : `only ${config.suppressionLoweringRoles.join(' and ')} users may lower it, with a reason, and it is audited`;
      throw new ApiError(403, 'suppression_below_floor', `suppression: counts below ${floor} are withheld here; ${who}`, 'suppression');
    }
    const reason = c.req.query('suppressionReason')?.trim() ?? '';
    if (reason.length < 3 || reason.length > 500) {
      throw new ApiError(400, 'invalid_parameter', `suppressionReason: say why the threshold is lowered below ${floor} (3 to 500 characters); it is audited`, 'suppressionReason');
    }
    const key = `${actorOf(identity).actor}\n${threshold}\n${reason}`;
    const now = Date.now();
    if ((lastAudited.get(key) ?? 0) < now - auditWindowMs) {
      await recordAudit(db, identity, { action: 'suppression_lowered', details: { threshold, floor, reason, path: c.req.path, query: new URL(c.req.url).search } });
      lastAudited.set(key, now);
      for (const [seen, at] of lastAudited) if (at < now - auditWindowMs) lastAudited.delete(seen);
    }
    c.set('suppressionThreshold', threshold);
    return next();
  };
}
