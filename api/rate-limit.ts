import type { Context, MiddlewareHandler } from 'hono';
import { clientAddressOf } from './client-address';
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

/** The caller's address: the socket's peer, or behind a trusted proxy the client it names (client-address.ts). */
export function clientAddress(c: Context<AppEnv>): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  // No socket: a request made in process, by a test or the pack command.
  const peer = incoming === undefined ? undefined : (incoming.socket?.remoteAddress ?? 'unknown');
  return clientAddressOf(peer, c.req.header('x-forwarded-for'), c.get('deps').config.trustedProxies);
}
