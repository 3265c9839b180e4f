import { serve } from '@hono/node-server';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../api/app';
import { connectTimeoutSeconds, createDatabase, migrateDatabase, type DatabaseHandle } from '../../db';
import { isDatabaseUnavailable } from '../../db/unavailable';
import { loadDemo } from '../../etl/demo/load-demo';
import { databaseFingerprint } from '../support/fingerprint';
import { stackTracePattern } from '../support/raw-observations';
import type { PrivateCluster } from './private-cluster';

/**
 * PostgreSQL stopped and started again under a live HTTP server: while it is down every answer must be a
 * prompt 503 with the JSON error `database_unavailable` (no 500, no stack, no hang), and once it is back the
 * API must answer 200 again by itself, with every committed row still there.
 */

/** Any answer slower than this is a hang: connecting gives up after connectTimeoutSeconds. */
export const answerBoundMs = connectTimeoutSeconds * 1000 + 2000;

export interface ServingApi {
  baseUrl: string;
  handle: DatabaseHandle;
  /** GET paths that all need the database. */
  paths: string[];
  close(): Promise<void>;
}

/** The demo data on the cluster and the API serving it over HTTP on a free port. */
export async function serveDemoOn(cluster: PrivateCluster): Promise<ServingApi> {
  const handle = await createDatabase({ url: cluster.url, dataDir: 'memory' });
  await migrateDatabase(handle);
  await loadDemo(handle);
  const app = createApp({ db: handle.db, databaseKind: handle.kind });
  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => resolve({ server, port: info.port }));
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const indicator = (await (await fetch(`${baseUrl}/api/indicators`)).json()).indicators[0].code as string;
  const network = (await (await fetch(`${baseUrl}/api/networks`)).json()).networks[0].code as string;
  return {
    baseUrl,
    handle,
    paths: ['/api/health', `/api/funnel?indicator=${indicator}`, `/api/indicators/${indicator}`, `/api/overview?network=${network}`],
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await handle.close();
    },
  };
}

export interface RestartResult {
  mode: 'fast' | 'immediate';
  /** Answers to requests sent and answered while the server was stopped. */
  answersWhileDown: number;
  answersTotal: number;
  statuses: Record<number, number>;
  /** Answers that broke the contract: a 500, a stack, a 503 without the JSON error, a 200 while down, a hang. */
  problems: string[];
  slowestAnswerMs: number;
  /** From the server accepting connections again to the API's first 200. */
  recoverySeconds: number;
  /** From the stop to the API's first 200. */
  outageSeconds: number;
  dataLost: boolean;
}

type Phase = 'stopping' | 'down' | 'starting' | 'up';

/** Stops the cluster for downMs while `readers` clients keep requesting, starts it, and waits for the first 200. */
export async function restartWhileServing(
  cluster: PrivateCluster,
  api: ServingApi,
  options: { mode: 'fast' | 'immediate'; downMs: number; readers: number },
): Promise<RestartResult> {
  const before = await databaseFingerprint(api.handle.db);
  const result: RestartResult = { mode: options.mode, answersWhileDown: 0, answersTotal: 0, statuses: {}, problems: [], slowestAnswerMs: 0, recoverySeconds: NaN, outageSeconds: NaN, dataLost: false };
  let phase: Phase = 'stopping';
  let readyAt = 0;
  let firstOkAt = 0;
  let running = true;

  const reader = async (offset: number) => {
    for (let i = offset; running; i++) {
      const path = api.paths[i % api.paths.length];
      const sentIn = phase;
      const started = performance.now();
      const answer = await fetch(`${api.baseUrl}${path}`, { signal: AbortSignal.timeout(answerBoundMs) }).then(
        async (response) => ({ status: response.status, text: await response.text() }),
        (error: Error) => ({ status: 0, text: error.name }),
      );
      const elapsed = performance.now() - started;
      const answeredIn = phase;
      result.answersTotal++;
      result.slowestAnswerMs = Math.max(result.slowestAnswerMs, elapsed);
      result.statuses[answer.status] = (result.statuses[answer.status] ?? 0) + 1;
      const problem = judge(answer, sentIn === 'down' && answeredIn === 'down');
      if (problem) result.problems.push(`${path} (${sentIn}→${answeredIn}): ${problem}`);
      if (sentIn === 'down' && answeredIn === 'down') result.answersWhileDown++;
      if (answer.status === 200 && sentIn === 'up' && firstOkAt === 0) firstOkAt = performance.now();
      // Pace the readers a little so a down server is asked often but the event loop is not saturated.
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  const stoppedAt = performance.now();
  const readers = Array.from({ length: options.readers }, (_, i) => reader(i));
  await cluster.stop(options.mode);
  phase = 'down';
  await new Promise((resolve) => setTimeout(resolve, options.downMs));
  phase = 'starting';
  await cluster.start();
  readyAt = performance.now();
  phase = 'up';
  const deadline = readyAt + 60_000;
  while (firstOkAt === 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  running = false;
  await Promise.all(readers);

  if (firstOkAt === 0) result.problems.push('the API did not answer 200 within 60 s of the database coming back');
  else {
    result.recoverySeconds = (firstOkAt - readyAt) / 1000;
    result.outageSeconds = (firstOkAt - stoppedAt) / 1000;
  }
  result.dataLost = JSON.stringify(await fingerprintWhenAvailable(api.handle)) !== JSON.stringify(before);
  return result;
}

/** The fingerprint once the database answers again: the question here is what it holds, not when it is up. */
async function fingerprintWhenAvailable(handle: DatabaseHandle): Promise<Record<string, string>> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await databaseFingerprint(handle.db);
    } catch (error) {
      if (!isDatabaseUnavailable(error) || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

function judge(answer: { status: number; text: string }, whollyWhileDown: boolean): string | undefined {
  if (answer.status === 0) return `no answer within ${answerBoundMs} ms (${answer.text})`;
  if (stackTracePattern.test(answer.text)) return `a stack trace in a ${answer.status}`;
  if (answer.status === 200) return whollyWhileDown ? 'a 200 while the database was down' : undefined;
  if (answer.status !== 503) return `a ${answer.status}: ${answer.text.slice(0, 200)}`;
  try {
    if (JSON.parse(answer.text).error?.code === 'database_unavailable') return undefined;
  } catch {
    // Not JSON: reported below.
  }
  return `a 503 without the database_unavailable error: ${answer.text.slice(0, 200)}`;
}
