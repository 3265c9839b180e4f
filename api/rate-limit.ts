import { and, eq, lt, sql } from 'drizzle-orm';
import type { Context, MiddlewareHandler } from 'hono';
import { schema } from '../db';
import { clientAddressOf } from './client-address';
import type { AppEnv } from './context';
import { ApiError } from './errors';

const { rateLimitWindows } = schema;

export interface RateLimitOptions {
  /** Requests allowed per key in one window. */
  limit: number;
  windowMs: number;
  /** Who is counted: a client address for sign-in, a user for upload. */
  key: (c: Context<AppEnv>) => string;
  /** Injected in tests. */
  now?: () => number;
}

/**
 * A sliding-window limiter (counts of this and the previous window, the previous weighted by how much of it still
 * falls in the last windowMs: the estimate Cloudflare describes for its rate limiting), counted in the database
 * (rate_limit_windows) so that replicas behind a load balancer share one count per key. Every attempt is counted,
 * refused ones too, so hammering a refused route keeps it refused. A refusal is a JSON 429 with Retry-After.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  return async (c, next) => {
    const { db } = c.var.deps;
    const time = now();
    const start = time - (time % windowMs);
    // Keyed by the window too, so limiters of different windows on one caller never prune each other's counts.
    const key = `${options.key(c)}/${windowMs}`;
    const [current] = await db
      .insert(rateLimitWindows)
      .values({ key, windowStart: start, count: 1 })
      .onConflictDoUpdate({ target: [rateLimitWindows.key, rateLimitWindows.windowStart], set: { count: sql`${rateLimitWindows.count} + 1` } })
      .returning({ count: rateLimitWindows.count });
    if (current.count === 1) await db.delete(rateLimitWindows).where(and(eq(rateLimitWindows.key, key), lt(rateLimitWindows.windowStart, start - windowMs)));
    const [previous] = await db
      .select({ count: rateLimitWindows.count })
      .from(rateLimitWindows)
      .where(and(eq(rateLimitWindows.key, key), eq(rateLimitWindows.windowStart, start - windowMs)));
    const weight = 1 - (time - start) / windowMs;
    if (current.count - 1 + (previous?.count ?? 0) * weight >= limit) {
      c.header('retry-after', String(Math.max(1, Math.ceil((start + windowMs - time) / 1000))));
      throw new ApiError(429, 'rate_limited', `Too many requests: at most ${limit} in ${Math.round(windowMs / 1000)} s; try again shortly`);
    }
    return next();
  };
}

/** The caller's address: the socket's peer, or behind a trusted proxy the client it names (client-address.ts). */
export function clientAddress(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  // No socket: a request made in process, by a test or the pack command.
  const peer = incoming === undefined ? undefined : (incoming.socket?.remoteAddress ?? 'unknown');
  return clientAddressOf(peer, c.req.header('x-forwarded-for'), c.get('deps').config.trustedProxies);
}
