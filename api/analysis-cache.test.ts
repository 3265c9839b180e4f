import { Hono } from 'hono';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Database } from '../db';
import { analysisCache } from './analysis-cache';
import type { AppEnv } from './context';

/** A funnel-sized JSON answer and a tiny one, behind the cache, counting how often each is computed. */
function cachedApp() {
  const computed = { big: 0 };
  const big = JSON.stringify({ providers: Array.from({ length: 2000 }, (_, i) => ({ code: `P${i}`, value: i / 7 })) });
  // The cache reads only the data version from the database; here it never changes.
  const db = { select: () => ({ from: () => ({ where: async () => [{ version: 1 }] }) }) } as unknown as Database;
  const app = new Hono<AppEnv>()
    .use(async (c, next) => {
      c.set('deps', { db } as AppEnv['Variables']['deps']);
      c.set('identity', { role: 'viewer', networkIds: new Set<number>() } as unknown as AppEnv['Variables']['identity']);
      c.set('suppressionThreshold', 5);
      await next();
    })
    .use(analysisCache({ maxBytes: 16 * 1024 * 1024 }))
    .get('/api/funnel', (c) => {
      computed.big++;
      return c.body(big, 200, { 'content-type': 'application/json' });
    })
    .get('/api/indicators', (c) => c.json({ indicators: [] }));
  return { app, big, computed };
}

describe('analysisCache compression', () => {
  it('answers brotli, gzip or plain as Accept-Encoding asks, each the same JSON under one ETag, computed once', async () => {
    const { app, big, computed } = cachedApp();
    const plain = await app.request('/api/funnel');
    const br = await app.request('/api/funnel', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    const gzip = await app.request('/api/funnel', { headers: { 'accept-encoding': 'gzip, deflate' } });
    expect(plain.headers.get('content-encoding')).toBeNull();
    expect(await plain.text()).toBe(big);
    expect(br.headers.get('content-encoding')).toBe('br');
    expect(brotliDecompressSync(Buffer.from(await br.arrayBuffer())).toString()).toBe(big);
    expect(gzip.headers.get('content-encoding')).toBe('gzip');
    const gzipBytes = Buffer.from(await gzip.arrayBuffer());
    expect(gunzipSync(gzipBytes).toString()).toBe(big);
    expect(gzipBytes.byteLength).toBeLessThan(big.length / 3);
    expect(new Set([plain, br, gzip].map((answer) => answer.headers.get('etag'))).size).toBe(1);
    expect(gzip.headers.get('vary')).toContain('Accept-Encoding');
    expect(computed.big).toBe(1);
    // A later hit sends the very bytes kept from the first.
    const again = await app.request('/api/funnel', { headers: { 'accept-encoding': 'gzip' } });
    expect(again.headers.get('x-analysis-cache')).toBe('hit');
    expect(Buffer.from(await again.arrayBuffer()).equals(gzipBytes)).toBe(true);
  });

  it('answers a matching If-None-Match with an empty 304 whatever the encoding', async () => {
    const { app } = cachedApp();
    const etag = (await app.request('/api/funnel')).headers.get('etag')!;
    const revalidated = await app.request('/api/funnel', { headers: { 'if-none-match': etag, 'accept-encoding': 'br' } });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get('content-encoding')).toBeNull();
    expect((await revalidated.arrayBuffer()).byteLength).toBe(0);
  });

  it('leaves an answer under 1 KiB uncompressed, as the server does', async () => {
    const { app } = cachedApp();
    const small = await app.request('/api/indicators', { headers: { 'accept-encoding': 'br' } });
    expect(small.headers.get('content-encoding')).toBeNull();
    expect(await small.json()).toEqual({ indicators: [] });
  });
});
