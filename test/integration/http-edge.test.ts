import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { trustedProxies } from '../../api/client-address';
import type { ApiConfig } from '../../api/context';
import { createAtlasServer } from '../../web/server';
import { describeDatabase } from '../support/database';
import { stackTracePattern } from '../support/raw-observations';

/**
 * The API and the dashboard behind a real socket, as `npm start` serves them, asked with hostile Host and
 * X-Forwarded-For headers (which fetch cannot set): DNS rebinding is refused on every path, and a client cannot
 * choose the address its requests are counted and audited under.
 */
const allowedHosts = ['atlas.example.nhs.uk', 'localhost', '127.0.0.1'];

interface Answer {
  status: number;
  type: string;
  body: string;
}

describeDatabase('the HTTP edge', (getDatabase) => {
  const servers: Server[] = [];
  let pagesServed = 0;

  async function serve(config: Partial<ApiConfig>): Promise<number> {
    const app = createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, config: { allowedHosts, ...config } });
    const server = createAtlasServer(app.fetch, (_, response) => void (pagesServed++, response.writeHead(200, { 'content-type': 'text/html' }).end('<p>a page</p>')), allowedHosts);
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  let direct: number;
  let behindProxy: number;
  beforeAll(async () => {
    direct = await serve({});
    behindProxy = await serve({ trustedProxies: trustedProxies(['127.0.0.1', '::1']) });
  });
  afterAll(() => Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve)))));

  const ask = (port: number, path: string, headers: Record<string, string>, method = 'GET') =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest({ host: '127.0.0.1', port, path, method, headers }, (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode!, type: String(response.headers['content-type']), body }));
      });
      outgoing.on('error', reject);
      outgoing.end();
    });

  const hostile = ['evil.example', '127.0.0.1.evil.example', 'localhost.evil.example:3000', '7f000001.rebind.example', 'atlas.example.nhs.uk.evil.example'];

  it.each(hostile)('answers the API for Host %s with a 421 JSON error, before any route or CSRF check', async (host) => {
    for (const [path, method] of [
      ['/api/health', 'GET'],
      ['/api/networks', 'GET'],
      ['/api/auth/sign-out', 'POST'],
    ] as const) {
      const answer = await ask(direct, path, { host, origin: `http://${host}` }, method);
      expect(answer.status, `${method} ${path}`).toBe(421);
      expect(answer.type).toContain('application/json');
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'misdirected_request' } });
      expect(answer.body).not.toMatch(stackTracePattern);
    }
  });

  it.each(hostile)('answers a dashboard page for Host %s with a plain 421 page, without rendering it', async (host) => {
    const before = pagesServed;
    const answer = await ask(direct, '/networks/KB-CANCER', { host });
    expect(answer.status).toBe(421);
    expect(answer.type).toContain('text/plain');
    expect(answer.body).toContain('Misdirected request');
    expect(pagesServed).toBe(before);
  });

  it('answers the allowed host names, with or without a port, on both paths', async () => {
    for (const host of ['atlas.example.nhs.uk', 'atlas.example.nhs.uk:443', `127.0.0.1:${direct}`, 'localhost']) {
      expect((await ask(direct, '/api/health', { host })).status, host).toBe(200);
      expect((await ask(direct, '/', { host })).status, host).toBe(200);
    }
  });

  it('refuses a Host that is no host name at all on both paths', async () => {
    for (const host of ['localhost@evil.example', 'localhost/evil']) {
      // The API's HTTP adapter turns these away itself, as a 400.
      expect((await ask(direct, '/api/health', { host })).status, host).toBe(400);
      expect((await ask(direct, '/', { host })).status, host).toBe(421);
    }
  });

  /** How many of `count` sign-ins from the same socket, each with its own X-Forwarded-For, were rate limited. */
  async function limited(port: number, forwardedFor: (i: number) => string, count = 21): Promise<number> {
    let refused = 0;
    for (let i = 0; i < count; i++) {
      const answer = await ask(port, '/api/auth/sign-in', { host: 'localhost', 'x-forwarded-for': forwardedFor(i) });
      if (answer.status === 429) refused++;
    }
    return refused;
  }

  it('counts a client by its socket when no proxy is trusted, whatever X-Forwarded-For it writes', async () => {
    expect(await limited(direct, (i) => `198.51.100.${i}`)).toBe(1);
  });

  it('behind a trusted proxy counts the address the proxy appended, not one the client wrote before it', async () => {
    // The client writes a new address each time; the proxy (here, loopback) appends the same real one.
    expect(await limited(behindProxy, (i) => `10.9.9.${i}, 203.0.113.50`)).toBe(1);
    // Distinct real clients behind the proxy are counted apart.
    expect(await limited(behindProxy, (i) => `203.0.113.${100 + i}`)).toBe(0);
  });

  it('sends JSON compressed as the client accepts (brotli, else gzip), and plain to a client that accepts neither', async () => {
    const encodings: Record<string, string | undefined> = {};
    for (const accept of ['br, gzip', 'gzip', 'identity']) {
      const answer = await new Promise<{ encoding: string | undefined; body: Buffer }>((resolve, reject) => {
        const outgoing = httpRequest({ host: '127.0.0.1', port: direct, path: '/api/openapi.json', headers: { host: 'localhost', 'accept-encoding': accept } }, (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ encoding: response.headers['content-encoding'], body: Buffer.concat(chunks) }));
        });
        outgoing.on('error', reject);
        outgoing.end();
      });
      encodings[accept] = answer.encoding;
      const text = answer.encoding === 'br' ? brotliDecompressSync(answer.body) : answer.encoding === 'gzip' ? gunzipSync(answer.body) : answer.body;
      expect(JSON.parse(text.toString('utf8')).openapi).toMatch(/^3\./);
      if (answer.encoding) expect(answer.body.length).toBeLessThan(text.length / 3);
    }
    expect(encodings).toEqual({ 'br, gzip': 'br', gzip: 'gzip', identity: undefined });
  });
});
