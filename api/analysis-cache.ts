import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { eq } from 'drizzle-orm';
import { schema, type Database } from '../db';
import type { AppEnv } from './context';

/** Routes whose answers are functions of the stored data, the URL, the caller's access and the threshold alone. */
const cachedPrefixes = ['/api/funnel', '/api/trends', '/api/variation', '/api/overview', '/api/profile', '/api/measures', '/api/indicators', '/api/networks', '/api/organisations', '/api/exports', '/api/opportunity', '/api/peers'];

/** What a cached answer keeps: enough to answer again byte for byte. */
interface CachedAnswer {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
  etag: string;
}

const keptHeaders = new Set(['content-type', 'content-disposition', 'content-language']);

export interface AnalysisCacheOptions {
  /** Upper bound on the bytes of answers kept; the least recently used go first. */
  maxBytes: number;
}

export async function currentDataVersion(db: Database): Promise<number> {
  const [row] = await db.select({ version: schema.dataVersion.version }).from(schema.dataVersion).where(eq(schema.dataVersion.id, 1));
  return row.version;
}

/**
 * Answers analyses from memory while the data behind them is unchanged. The key is the data version (raised by
 * a trigger in the same transaction as any write to the tables analyses read: db/schema/data-version.ts), what
 * the caller may see (role and restricted networks), the small-number threshold and the normalised URL, so an
 * answer is never served to someone who could not have got it, nor after the data changed. The version is read
 * before the route reads any data, so a load committing mid-request can only leave newer figures under an older
 * key, which no later request asks for. Identical concurrent misses compute once. Every cacheable answer gets a
 * strong ETag and `Cache-Control: private, no-cache`, so browsers revalidate with If-None-Match and get a 304.
 */
export function analysisCache(options: AnalysisCacheOptions): MiddlewareHandler<AppEnv> {
  const answers = new Map<string, CachedAnswer>();
  const computing = new Map<string, Promise<CachedAnswer | null>>();
  let bytes = 0;

  const remember = (key: string, answer: CachedAnswer) => {
    if (answer.body.byteLength > options.maxBytes) return;
    answers.set(key, answer);
    bytes += answer.body.byteLength;
    for (const [oldest, entry] of answers) {
      if (bytes <= options.maxBytes) break;
      answers.delete(oldest);
      bytes -= entry.body.byteLength;
    }
  };

  return async (c, next) => {
    const url = new URL(c.req.url);
    if (c.req.method !== 'GET' || options.maxBytes <= 0 || !cachedPrefixes.some((prefix) => url.pathname === prefix || url.pathname.startsWith(`${prefix}/`))) return next();
    const identity = c.get('identity');
    const version = await currentDataVersion(c.var.deps.db);
    const query = [...url.searchParams].sort(([a, x], [b, y]) => a.localeCompare(b) || x.localeCompare(y));
    const key = JSON.stringify([version, identity.role, [...identity.networkIds].sort((a, b) => a - b), c.var.suppressionThreshold, url.pathname, query]);

    let answer = answers.get(key);
    if (answer) {
      // Most recently used last, so eviction takes the least recently used.
      answers.delete(key);
      answers.set(key, answer);
      c.header('x-analysis-cache', 'hit');
    } else {
      const pending = computing.get(key);
      if (pending) answer = (await pending) ?? undefined;
      if (!answer) {
        const computed = (async () => {
          await next();
          if (c.res.status !== 200) return null;
          const body = new Uint8Array(await c.res.clone().arrayBuffer());
          const headers: [string, string][] = [];
          c.res.headers.forEach((value, name) => {
            if (keptHeaders.has(name)) headers.push([name, value]);
          });
          return { status: 200, headers, body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
        })();
        computing.set(key, computed);
        try {
          answer = (await computed) ?? undefined;
        } finally {
          computing.delete(key);
        }
        if (!answer) return;
        remember(key, answer);
        c.header('x-analysis-cache', 'miss');
      } else {
        c.header('x-analysis-cache', 'hit');
      }
    }
    c.header('etag', answer.etag);
    c.header('cache-control', 'private, no-cache');
    c.header('vary', 'Cookie, Authorization');
    const asked = c.req.header('if-none-match');
    if (asked !== undefined && asked.split(',').some((tag) => tag.trim().replace(/^W\//, '') === answer.etag)) {
      c.res = c.body(null, 304);
      return;
    }
    // A fresh Response each time: a body stream can be read only once.
    c.res = c.newResponse(answer.body.slice(), 200, Object.fromEntries(answer.headers));
  };
}
