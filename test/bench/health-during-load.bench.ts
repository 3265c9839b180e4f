import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { loadIndicators, loadOrganisations } from '../../etl/load/load-reference';
import { freePort, startAtlas, type AtlasProcess } from '../proof/replicas';
import { createTestDatabase, testDatabaseKind } from '../support/database';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { report } from './measure';

const trusts = Array.from({ length: 1000 }, (_, i) => `RX${String(i).padStart(4, '0')}`);
const quarters = Array.from({ length: 20 }, (_, i) => 2005 + i).flatMap((year) => [1, 2, 3, 4].map((q) => `${year}/${String((year + 1) % 100).padStart(2, '0')} Q${q}`));
const header = 'indicator_code,organisation_code,period,numerator,denominator';
/** 80,000 rows of C. difficile; `shift` makes a second file that revises every row of the first. */
const file = (shift: number) => [header, ...trusts.flatMap((code, i) => quarters.map((period, j) => `CDIFF,${code},${period},${(i + j + shift) % 7},10000`))].join('\n') + '\n';

/**
 * About VARIATION_ATLAS_BENCH_PREVIEW_MIB (default 95, under the 100 MiB upload cap) of new C. difficile and
 * readmission rows for up to 20,000 trusts over the 80 quarters (about 2.9 million rows), for the preview's part.
 */
const previewMiB = Number(process.env.VARIATION_ATLAS_BENCH_PREVIEW_MIB ?? 95);
const previewTrusts = Array.from({ length: 20_000 }, (_, i) => `RP${String(i).padStart(5, '0')}`);
function previewFile(): { content: string; rows: number } {
  const target = previewMiB * 1024 * 1024;
  const lines = [header];
  let bytes = header.length + 1;
  for (const [i, code] of previewTrusts.entries()) {
    for (const [indicator, denominator] of [['CDIFF', 10000], ['READMIT', 100]] as const) {
      for (const [j, period] of quarters.entries()) {
        const line = `${indicator},${code},${period},${(i + j) % 7},${denominator}`;
        if (bytes + line.length + 1 > target) return { content: lines.join('\n') + '\n', rows: lines.length - 1 };
        lines.push(line);
        bytes += line.length + 1;
      }
    }
  }
  return { content: lines.join('\n') + '\n', rows: lines.length - 1 };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
const ms = (value: number) => `${value.toFixed(1)} ms`;

/**
 * `/api/health` on the server a file is confirmed through, every 50 ms while the file loads: an API-only replica
 * (VARIATION_ATLAS_WORKERS=0) with the load on an `npm run worker`, against one server that runs the load in its
 * own process as before the queue, in the same run, on PostgreSQL. Then the same while a file of about 95 MiB is
 * sent and previewed (the preview on the worker, or in the one server's own queue). The baseline is health on
 * the idle replica. It also runs against a checkout from before previews were jobs (a 201 carrying the preview):
 * there the replica previews on the request path.
 */
export async function healthDuringLoadBench(): Promise<void> {
  if (testDatabaseKind !== 'postgres') {
    console.log('\n## /api/health while a file loads: skipped (several processes on one database need PostgreSQL: set DATABASE_URL)');
    return;
  }
  const files = temporaryFolder();
  const database = await createTestDatabase();
  const processes: AtlasProcess[] = [];
  try {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${database.name}`;
    await loadOrganisations(database, files.write('organisations.csv', [referenceFiles['organisations.csv'], ...[...trusts, ...previewTrusts].map((code) => `${code},Trust ${code},trust,QZZ,,`)].join('\n')));
    await loadIndicators(database, files.write('indicators.csv', referenceFiles['indicators.csv']));
    const [analyst] = await database.db.insert(schema.users).values({ subject: 'bench@example.nhs.uk', role: 'analyst' }).returning();
    const { token } = await createApiToken(database.db, { userId: analyst.id, scopes: ['read', 'write'], days: 1 });
    const start = async (entry: 'serve' | 'worker', workers: number) => {
      const started = await startAtlas(entry, { DATABASE_URL: url.toString(), VARIATION_ATLAS_AUTH: 'required', VARIATION_ATLAS_WORKERS: String(workers), VARIATION_ATLAS_UPLOAD_DIR: `${files.folder}/${entry}-${processes.length}`, ...(entry === 'serve' ? { PORT: String(await freePort()) } : {}) });
      processes.push(started);
      return started;
    };
    const call = (server: AtlasProcess, path: string, init: RequestInit = {}) => fetch(`${server.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, ...init.headers } });
    const timedHealth = async (server: AtlasProcess) => {
      const sent = performance.now();
      await (await fetch(`${server.baseUrl}/api/health`)).arrayBuffer();
      return performance.now() - sent;
    };
    /** Health every 50 ms while `work` runs, as percentiles. */
    async function healthWhile(server: AtlasProcess, work: () => Promise<void>) {
      const began = performance.now();
      const asked: Promise<number>[] = [];
      let working = true;
      const poller = (async () => {
        while (working) {
          asked.push(timedHealth(server));
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      try {
        await work();
      } finally {
        working = false;
        await poller;
      }
      const latencies = (await Promise.all(asked)).sort((a, b) => a - b);
      return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1)!, samples: latencies.length, seconds: (performance.now() - began) / 1000 };
    }
    /**
     * Sends the file through the server and waits for its preview: the 202's preview job polled until written, or
     * (before the preview was a job) the 201 that carried it.
     */
    const preview = previewFile();
    const previewing = (server: AtlasProcess) =>
      healthWhile(server, async () => {
        const sent = await call(server, '/api/uploads?name=preview.csv', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: preview.content });
        let view = await sent.json();
        if (sent.status !== 201 && sent.status !== 202) throw new Error(`the upload answered ${sent.status}: ${JSON.stringify(view)}`);
        while (view.status === 'previewing') {
          await new Promise((resolve) => setTimeout(resolve, 200));
          view = await (await call(server, `/api/uploads/${view.id}`)).json();
        }
        if (view.preview?.rows !== preview.rows) throw new Error(`the preview ended ${view.status}: ${JSON.stringify(view.error ?? view.preview?.problems?.slice(0, 3))}`);
      });

    /** Stages and confirms the file through the server, then asks for health every 50 ms until the upload is loaded. */
    async function healthWhileLoading(server: AtlasProcess, content: string) {
      let staged = await (await call(server, '/api/uploads?name=cdiff.csv', { method: 'POST', headers: { 'content-type': 'text/csv' }, body: content })).json();
      // Confirmed once previewed (at once where the preview came with the upload's answer).
      while (staged.status === 'previewing') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        staged = await (await call(server, `/api/uploads/${staged.id}`)).json();
      }
      const confirmed = await call(server, `/api/uploads/${staged.id}/confirm`, { method: 'POST' });
      if (confirmed.status !== 202) throw new Error(`confirm answered ${confirmed.status}`);
      const began = performance.now();
      const asked: Promise<number>[] = [];
      let loading = true;
      const watched = (async () => {
        while (loading) {
          const view = await (await call(server, `/api/uploads/${staged.id}`)).json();
          if (view.status !== 'loading') {
            if (view.status !== 'loaded') throw new Error(`the load ended ${view.status}: ${JSON.stringify(view.error)}`);
            loading = false;
          } else await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      while (loading) {
        asked.push(
          (async () => {
            const sent = performance.now();
            await (await fetch(`${server.baseUrl}/api/health`)).arrayBuffer();
            return performance.now() - sent;
          })(),
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await watched;
      const latencies = (await Promise.all(asked)).sort((a, b) => a - b);
      return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), max: latencies.at(-1)!, samples: latencies.length, seconds: (performance.now() - began) / 1000 };
    }

    const [replica] = await Promise.all([start('serve', 0), start('worker', 1)]);
    const idle: number[] = [];
    for (let i = 0; i < 100; i++) {
      const sent = performance.now();
      await (await fetch(`${replica.baseUrl}/api/health`)).arrayBuffer();
      idle.push(performance.now() - sent);
    }
    idle.sort((a, b) => a - b);
    const offloaded = await healthWhileLoading(replica, file(0));
    const previewOffloaded = await previewing(replica);
    await Promise.all(processes.splice(0).map((running) => running.stop()));
    const allInOne = await start('serve', 1);
    const inProcess = await healthWhileLoading(allInOne, file(1));
    const previewInProcess = await previewing(allInOne);
    const baseline = `health idle p95 ${ms(percentile(idle, 0.95))}`;
    report(`/api/health while ${(trusts.length * quarters.length).toLocaleString('en-GB')} rows load (PostgreSQL)`, [
      { name: 'health idle, one client: p95', value: ms(percentile(idle, 0.95)) },
      { name: `API-only replica, load on a worker: health p95 (p50 ${ms(offloaded.p50)}, max ${ms(offloaded.max)}, ${offloaded.samples} asked, load ${offloaded.seconds.toFixed(1)} s)`, value: ms(offloaded.p95), baseline, ratio: offloaded.p95 / percentile(idle, 0.95) },
      // The second file revises every row of the first, so its load does more: compare health, not load times.
      { name: `one server running the load itself (before the queue): health p95 (p50 ${ms(inProcess.p50)}, max ${ms(inProcess.max)}, ${inProcess.samples} asked, load ${inProcess.seconds.toFixed(1)} s)`, value: ms(inProcess.p95), baseline, ratio: inProcess.p95 / percentile(idle, 0.95) },
    ]);
    const previewName = (label: string, run: typeof previewOffloaded) => `${label}: health p95 (p50 ${ms(run.p50)}, max ${ms(run.max)}, ${run.samples} asked, upload and preview ${run.seconds.toFixed(1)} s)`;
    report(`/api/health while a ${previewMiB} MiB upload (${preview.rows.toLocaleString('en-GB')} rows) is staged and previewed (PostgreSQL)`, [
      { name: 'health idle, one client: p95', value: ms(percentile(idle, 0.95)) },
      { name: previewName('API-only replica, preview on a worker', previewOffloaded), value: ms(previewOffloaded.p95), baseline, ratio: previewOffloaded.p95 / percentile(idle, 0.95) },
      { name: previewName('one server running the preview itself', previewInProcess), value: ms(previewInProcess.p95), baseline, ratio: previewInProcess.p95 / percentile(idle, 0.95) },
    ]);
  } finally {
    await Promise.all(processes.map((running) => running.stop()));
    await database.close();
    files.remove();
  }
}
