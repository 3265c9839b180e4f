import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { answerBoundMs, restartWhileServing, serveDemoOn, type ServingApi } from './database-restart';
import { describeFault } from './describe-fault';
import { startPrivateCluster, type PrivateCluster } from './private-cluster';

/**
 * PostgreSQL stopped cleanly, then crashed, under a live HTTP server with readers: while it is down every
 * answer is a prompt 503 `database_unavailable`; once it accepts connections again the API answers 200 by
 * itself (no restart of the API) and every committed row is still there. Without the error mapping these were
 * 500s; without `backoff: 0` postgres.js held requests for up to 20 s, during the outage and after it.
 */
describeFault('database restart while the API serves', { privateCluster: true }, () => {
  let cluster: PrivateCluster;
  let api: ServingApi;

  beforeAll(async () => {
    cluster = await startPrivateCluster();
    api = await serveDemoOn(cluster);
  }, 120_000);

  afterAll(async () => {
    await api?.close();
    await cluster?.remove();
  });

  it.each(['fast', 'immediate'] as const)('stop (%s): 503 while down, 200 again by itself, nothing lost', async (mode) => {
    // The API logs one line per refused request while the database is down: counted here, not printed.
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const result = await restartWhileServing(cluster, api, { mode, downMs: 1500, readers: 4 });
    const warnings = warn.mock.calls.filter(([line]) => String(line).startsWith('database unavailable')).length;
    warn.mockRestore();
    expect(warnings).toBeGreaterThan(0);
    // The server's log explains a failure that PostgreSQL itself caused.
    expect(result.problems, cluster.log().split('\n').slice(-30).join('\n')).toEqual([]);
    expect(result.answersWhileDown).toBeGreaterThan(10);
    expect(result.statuses[503]).toBeGreaterThan(0);
    expect(result.slowestAnswerMs).toBeLessThan(answerBoundMs);
    expect(result.recoverySeconds).toBeLessThan(5);
    expect(result.dataLost).toBe(false);
  }, 120_000);
});
