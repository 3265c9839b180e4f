import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { drawChart } from '../../api/exports/chart-exports';
import { packFiles } from '../../api/pack/pack-files';
import { createRenderPool, defaultRenderPoolSize, type RenderPool } from '../../api/workers/render-pool';
import { loadDemo } from '../../etl/demo/load-demo';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../support/database';
import { httpLoad } from './http-load';
import { report } from './measure';

const packs = 10;
const network = 'KB-CC-ODN';

/** The design before the render pool, for comparison in the same run: charts and packs drawn on the event loop. */
const onTheEventLoop: RenderPool = {
  drawChart: async (drawing) => drawChart(drawing),
  buildPack: async (gather, format) => {
    const content = await gather();
    return { content, file: (await packFiles(content, [format])).get(format)! };
  },
  assertRoom: () => {},
  pending: 0,
  close: async () => {},
};

async function listening(handle: TestDatabase, renderPool: RenderPool): Promise<{ origin: string; close: () => void }> {
  const app = createApp({ db: handle.db, databaseKind: handle.kind, renderPool });
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ origin: `http://127.0.0.1:${info.port}`, close: () => server.close() }));
  });
}

/** Health asked for every 50 ms while `packs` packs (half PPTX, half PDF) are asked for at once. */
async function healthWhilePacksBuild(origin: string) {
  const started = performance.now();
  let building = true;
  const built = Promise.all(
    Array.from({ length: packs }, async (_, i) => {
      const response = await fetch(`${origin}/api/packs?network=${network}&format=${i % 2 ? 'pdf' : 'pptx'}`).catch(() => undefined);
      await response?.arrayBuffer();
      return response?.status;
    }),
  ).finally(() => (building = false));
  // Asked every 50 ms whether or not the last has been answered, so a blocked server collects slow answers for as long as it is blocked.
  const asked: Promise<number>[] = [];
  let failures = 0;
  while (building) {
    asked.push(
      (async () => {
        const began = performance.now();
        // A refused or dropped connection is a failure, timed like an answer.
        const ok = await fetch(`${origin}/api/health`).then(
          async (response) => (await response.arrayBuffer(), response.ok),
          () => false,
        );
        if (!ok) failures++;
        return performance.now() - began;
      })(),
    );
    await new Promise((done) => setTimeout(done, 50));
  }
  const latencies = await Promise.all(asked);
  const statuses = await built;
  latencies.sort((a, b) => a - b);
  const p95 = latencies[Math.min(latencies.length - 1, Math.ceil(0.95 * latencies.length) - 1)];
  return { p95, max: latencies.at(-1)!, samples: latencies.length, failures, seconds: (performance.now() - started) / 1000, built: statuses.filter((status) => status === 200).length };
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * `/api/health` p95 while ten board packs are built at once, against health idle in the same run: with the
 * render pool (charts and files written in worker threads) and, for comparison, with the same work on the event
 * loop as before the pool. Target: under 100 ms with the pool.
 */
export async function healthUnderPacksBench(): Promise<void> {
  const handle = await createTestDatabase();
  const pool = createRenderPool();
  try {
    await loadDemo(handle);
    const pooled = await listening(handle, pool);
    const inline = await listening(handle, onTheEventLoop);
    // Warm: one pack each, so worker start-up and first-use compilation are not what is timed.
    await (await fetch(`${pooled.origin}/api/packs?network=${network}&format=pdf`)).arrayBuffer();
    await (await fetch(`${inline.origin}/api/packs?network=${network}&format=pdf`)).arrayBuffer();
    const idle = await httpLoad(`${pooled.origin}/api/health`, { clients: 1, requests: 200 });
    const withPool = await healthWhilePacksBuild(pooled.origin);
    const onLoop = await healthWhilePacksBuild(inline.origin);
    pooled.close();
    inline.close();
    const baseline = `health idle p95 ${ms(idle.p95)}`;
    report(`/api/health while ${packs} packs of ${network} build at once (${testDatabaseKind}; render pool of ${defaultRenderPoolSize.threads} threads)`, [
      { name: 'health idle, one client: p95', value: ms(idle.p95) },
      { name: `render pool: health p95 (${withPool.samples} asked, ${withPool.failures} failed, max ${ms(withPool.max)})`, value: ms(withPool.p95), baseline, ratio: withPool.p95 / idle.p95, target: '< 100 ms' },
      { name: `render pool: ${withPool.built} of ${packs} packs built`, value: `${withPool.seconds.toFixed(1)} s` },
      { name: `on the event loop (before): health p95 (${onLoop.failures} failed, max ${ms(onLoop.max)})`, value: ms(onLoop.p95), baseline, ratio: onLoop.p95 / idle.p95 },
      { name: `on the event loop (before): ${onLoop.built} of ${packs} packs built`, value: `${onLoop.seconds.toFixed(1)} s` },
    ]);
  } finally {
    await pool.close();
    await handle.close();
  }
}
