import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestEvent } from '@sveltejs/kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleFetch } from '../../web/src/hooks.server';

/**
 * The dashboard's server-side loads reach the API over loopback (web/src/hooks.server.ts). Without the session
 * cookie a signed-in visitor's restricted networks would vanish on every server-rendered page; without their
 * address the API's per-address rate limits would count the dashboard's server as one client. Every other
 * cookie the browser holds for the host (an identity provider's on the same machine, say) stays behind.
 */
describe('dashboard loads asking the API', () => {
  let api: Server;
  let seen: { url: string; headers: IncomingHttpHeaders } | undefined;
  const previousOrigin = process.env.VARIATION_ATLAS_API_ORIGIN;

  beforeAll(async () => {
    api = createServer((request, response) => {
      seen = { url: request.url ?? '', headers: request.headers };
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    process.env.VARIATION_ATLAS_API_ORIGIN = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    process.env.VARIATION_ATLAS_API_ORIGIN = previousOrigin;
    await new Promise((resolve) => api.close(resolve));
  });

  const cookies: Record<string, string> = { va_session: 'vas_secret', _session: 'identity-provider-session', theme: 'dark' };
  // Only what handleFetch reads of the event.
  const eventFrom = (headers: Record<string, string>) =>
    ({
      url: new URL('https://atlas.example.nhs.uk/networks/KB-CANCER'),
      request: new Request('https://atlas.example.nhs.uk/networks/KB-CANCER', { headers }),
      cookies: { get: (name: string) => cookies[name] },
      getClientAddress: () => '203.0.113.9',
    }) as unknown as RequestEvent;
  const event = eventFrom({});
  const unused: typeof fetch = () => Promise.reject(new Error('the API request went through SvelteKit'));

  it('sends the API the session cookie alone and the visitor’s address', async () => {
    const request = new Request('https://atlas.example.nhs.uk/api/networks?date=2025-01-01', { headers: { cookie: 'theme=dark' } });
    const response = await handleFetch({ event, request, fetch: unused });
    expect(response.status).toBe(200);
    expect(seen?.url).toBe('/api/networks?date=2025-01-01');
    expect(seen?.headers.cookie).toBe('va_session=vas_secret');
    expect(seen?.headers['x-forwarded-for']).toBe('203.0.113.9');
  });

  it('passes on X-Forwarded-For as a proxy does, the address the page was asked from last, for the API to read as far as it trusts', async () => {
    const request = new Request('https://atlas.example.nhs.uk/api/networks');
    await handleFetch({ event: eventFrom({ 'x-forwarded-for': '1.2.3.4, 198.51.100.7' }), request, fetch: unused });
    expect(seen?.headers['x-forwarded-for']).toBe('1.2.3.4, 198.51.100.7, 203.0.113.9');
  });

  it('leaves requests to anywhere else to SvelteKit', async () => {
    const request = new Request('https://atlas.example.nhs.uk/favicon.svg');
    const passed: Request[] = [];
    await handleFetch({ event, request, fetch: (async (input: Request) => (passed.push(input), new Response('ok'))) as typeof fetch });
    expect(passed.map((entry) => entry.url)).toEqual(['https://atlas.example.nhs.uk/favicon.svg']);
  });
});
