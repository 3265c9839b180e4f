import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './context';
import { ApiError } from './errors';

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
 * A sliding-window limiter in memory (counts of this and the previous window, the previous weighted by how
 * much of it still falls in the last windowMs): the estimate Cloudflare describes for its rate limiting. A
 * refusal is a JSON 429 with Retry-After. One process only; behind several replicas use the proxy's limits.
 */
export function rateLimit(options: RateLimitOptions): MiddlewareHandler<AppEnv> {
  const { limit, windowMs } = options;
  const now = options.now ?? Date.now;
  const windows = new Map<string, { start: number; count: number; previous: number }>();
  return async (c, next) => {
    const time = now();
    const start = time - (time % windowMs);
    if (windows.size > 10_000) for (const [key, entry] of windows) if (entry.start < start - windowMs) windows.delete(key);
    const key = options.key(c);
    let entry = windows.get(key);
    if (entry === undefined || entry.start < start - windowMs) entry = { start, count: 0, previous: 0 };
    else if (entry.start < start) entry = { start, count: 0, previous: entry.count };
    windows.set(key, entry);
    const weight = 1 - (time - start) / windowMs;
    if (entry.count + entry.previous * weight >= limit) {
      c.header('retry-after', String(Math.max(1, Math.ceil((start + windowMs - time) / 1000))));
      throw new ApiError(429, 'rate_limited', `Too many requests: at most ${limit} in ${Math.round(windowMs / 1000)} s; try again shortly`);
    }
    entry.count++;
    return next();
  };
}

const loopback = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/**
 * The caller's address from the socket. X-Forwarded-For is believed only from loopback, where it is the
 * dashboard's own server passing on its visitor's address (or a reverse proxy on the same host).
 */
export function clientAddress(c: Context): string {
  const socket = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress;
  if (socket === undefined || loopback.has(socket)) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded;
  }
  return socket ?? 'unknown';
}
