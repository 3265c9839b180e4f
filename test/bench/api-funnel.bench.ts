import { serve } from '@hono/node-server';
import { and, eq } from 'drizzle-orm';
import { Hono } from 'hono';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { createAtlasServer } from '../../web/server';
import { createTestDatabase } from '../support/database';
import { httpLoad } from './http-load';
import { report } from './measure';

const providers = 7000;

/**
 * The funnel endpoint for one indicator with 7,000 providers under 50 concurrent clients, next to a route that
 * returns a bare SELECT of the same rows through the same driver, both over HTTP on loopback in the same run.
 * Then the cached funnel as deployed (web/server.ts: the API behind the server's compression) beside a server on
 * that same stack that answers the very bytes and headers the cached funnel sent, held in memory: the floor of
 * serving a cached answer.
 */
export async function apiFunnelBench(): Promise<void> {
  process.env.DATABASE_URL = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
  const handle = await createTestDatabase();
  const servers: { close(): unknown }[] = [];
  try {
    const sql = handle.driver.kind === 'postgres' ? handle.driver.client : undefined;
    if (!sql) throw new Error('the API benchmark needs PostgreSQL');
    await sql`insert into indicators (code, name, domain, measure_kind, polarity, multiplier, unit) values ('BENCH', 'Bench proportion', 'Bench', 'proportion', 'lower_is_better', 100, '%')`;
    await sql`insert into organisations (code, name, kind) select 'P' || lpad(o::text, 5, '0'), 'Practice ' || o, 'gp_practice' from generate_series(1, ${providers}) o`;
    await sql`insert into periods (label, start_date, end_date, granularity) values ('2024/25 Q1', '2024-04-01', '2024-06-30', 'quarter')`;
    await sql`insert into load_batches (file_name, format, checksum, row_count) values ('bench', 'bench', ${'0'.repeat(64)}, ${providers})`;
    // Denominators 500–20,500 with a provider random effect, so the funnel has real overdispersion.
    await sql`insert into observations (indicator_id, organisation_id, period_id, numerator, denominator, load_batch_id)
      select i.id, o.id, p.id, round((500 + (o.id * 7919) % 20000) * (0.1 + ((o.id * 104729) % 100) / 2000.0)), 500 + (o.id * 7919) % 20000, b.id
      from organisations o, indicators i, periods p, load_batches b`;

    const app = createApp({ db: handle.db, databaseKind: handle.kind });
    const uncachedApp = createApp({ db: handle.db, databaseKind: handle.kind, config: { analysisCacheBytes: 0 } });
    const bare = new Hono().get('/bare', async (c) =>
      c.json(
        await handle.db
          .select({ code: schema.organisations.code, name: schema.organisations.name, numerator: schema.observations.numerator, denominator: schema.observations.denominator })
          .from(schema.observations)
          .innerJoin(schema.organisations, eq(schema.organisations.id, schema.observations.organisationId))
          .innerJoin(schema.indicators, eq(schema.indicators.id, schema.observations.indicatorId))
          .innerJoin(schema.periods, eq(schema.periods.id, schema.observations.periodId))
          .where(and(eq(schema.indicators.code, 'BENCH'), eq(schema.periods.label, '2024/25 Q1'))),
      ),
    );
    const listen = (fetch: (request: Request) => Response | Promise<Response>) =>
      new Promise<number>((resolve) => {
        const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve(info.port));
        servers.push(server);
      });
    const apiPort = await listen(app.fetch);
    const uncachedPort = await listen(uncachedApp.fetch);
    const barePort = await listen(bare.fetch);
    const funnelPath = '/api/funnel?indicator=BENCH&adjustment=additive';
    const funnelUrl = `http://127.0.0.1:${apiPort}${funnelPath}`;
    const check = await (await fetch(funnelUrl)).json();
    if (check.providers?.length !== providers) throw new Error(`the funnel returned ${check.providers?.length} providers`);

    const load = { clients: 50, requests: 500 };
    const ms = (value: number) => `${value.toFixed(1)} ms`;
    // As deployed: the API behind web/server.ts (compression), beside the same stack answering the same bytes from memory.
    const atlasOrigin = await listenNode(createAtlasServer(app.fetch, null), servers);
    // fetch asks for `gzip, deflate` unless told otherwise; the memory server keeps exactly what the atlas sent for that.
    const sent = await rawGet(`${atlasOrigin}${funnelPath}`, { 'accept-encoding': 'gzip, deflate' });
    if (sent.status !== 200) throw new Error(`the deployed funnel answered ${sent.status}`);
    const etag = String(sent.headers.etag);
    const kept = Object.fromEntries(['content-type', 'content-encoding', 'etag', 'cache-control', 'vary'].flatMap((name) => (sent.headers[name] === undefined ? [] : [[name, String(sent.headers[name])]])));
    const memory = new Hono().get('/funnel', (c) =>
      c.req.header('if-none-match') === etag ? c.body(null, 304, { etag, 'cache-control': kept['cache-control'] }) : c.body(sent.body, 200, kept),
    );
    const memoryOrigin = await listenNode(createAtlasServer(memory.fetch, null), servers);
    const revalidate = { clients: 50, requests: 500, headers: { 'if-none-match': etag } };
    const inMemory = await httpLoad(`${memoryOrigin}/funnel`, load);
    const deployed = await httpLoad(`${atlasOrigin}${funnelPath}`, load);
    const inMemory304 = await httpLoad(`${memoryOrigin}/funnel`, revalidate);
    const deployed304 = await httpLoad(`${atlasOrigin}${funnelPath}`, revalidate);
    report(`API as deployed (web/server.ts, ${kept['content-encoding'] ?? 'uncompressed'}, ${(sent.body.byteLength / 1024).toFixed(0)} KiB): cached /api/funnel against the same bytes served from memory, ${load.clients} clients`, [
      { name: 'p50 latency, cached funnel', value: ms(deployed.p50), baseline: `from memory ${ms(inMemory.p50)}`, ratio: deployed.p50 / inMemory.p50 },
      { name: 'p95 latency, cached funnel', value: ms(deployed.p95), baseline: `from memory ${ms(inMemory.p95)}`, ratio: deployed.p95 / inMemory.p95, target: '<= 1.2' },
      { name: 'p95 latency, 304 to If-None-Match', value: ms(deployed304.p95), baseline: `from memory ${ms(inMemory304.p95)}`, ratio: deployed304.p95 / inMemory304.p95 },
      { name: 'requests/s, cached funnel', value: deployed.requestsPerSecond.toFixed(1), baseline: `from memory ${inMemory.requestsPerSecond.toFixed(1)}`, ratio: inMemory.requestsPerSecond / deployed.requestsPerSecond },
      { name: 'failed requests', value: `${deployed.failures + inMemory.failures + deployed304.failures + inMemory304.failures}` },
    ]);

    const baseline = await httpLoad(`http://127.0.0.1:${barePort}/bare`, load);
    const uncached = await httpLoad(`http://127.0.0.1:${uncachedPort}${funnelPath}`, load);
    // The cached app answered the check above, so every request here is served from its analysis cache.
    const funnel = await httpLoad(funnelUrl, load);
    report(`API: GET /api/funnel, ${providers.toLocaleString('en-GB')} providers, ${load.clients} concurrent clients, ${load.requests} requests (PostgreSQL)`, [
      { name: 'p50 latency, recomputed', value: ms(uncached.p50), baseline: `bare SELECT ${ms(baseline.p50)}`, ratio: uncached.p50 / baseline.p50 },
      { name: 'p95 latency, recomputed', value: ms(uncached.p95), baseline: `bare SELECT ${ms(baseline.p95)}`, ratio: uncached.p95 / baseline.p95 },
      { name: 'p50 latency, cached', value: ms(funnel.p50), baseline: `bare SELECT ${ms(baseline.p50)}`, ratio: funnel.p50 / baseline.p50 },
      { name: 'p95 latency, cached', value: ms(funnel.p95), baseline: `bare SELECT ${ms(baseline.p95)}`, ratio: funnel.p95 / baseline.p95, target: '<= 1' },
      { name: 'requests/s, cached', value: funnel.requestsPerSecond.toFixed(1), baseline: `bare SELECT ${baseline.requestsPerSecond.toFixed(1)}`, ratio: baseline.requestsPerSecond / funnel.requestsPerSecond },
      { name: 'failed requests', value: `${funnel.failures + uncached.failures + baseline.failures}` },
    ]);
  } finally {
    for (const server of servers) server.close();
    await handle.close();
  }
}

function listenNode(server: Server, servers: { close(): unknown }[]): Promise<string> {
  servers.push(server);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

/** One GET with its body as sent, still compressed (fetch would undo the compression). */
function rawGet(url: string, headers: Record<string, string>): Promise<{ status: number; headers: IncomingHttpHeaders; body: Uint8Array<ArrayBuffer> }> {
  return new Promise((resolve, reject) => {
    httpRequest(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: new Uint8Array(Buffer.concat(chunks)) }));
      response.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}
