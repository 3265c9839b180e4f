import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, DatabaseLockedError, migrateDatabase } from '../../db';
import { lockPathOf } from '../../db/lock';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { referenceFiles, temporaryFolder } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

/**
 * One writer for the embedded database, with the real processes: a running server (web/serve.ts) holds its
 * PGlite folder; `etl demo`, a second server and `npm start` against it are refused at once, naming the
 * server's pid, without a stack and without touching the folder, which opens afterwards exactly as it was.
 * A SIGKILLed server's lock does not block the next open. PGlite only, so it runs the same in both passes:
 * the child processes never see DATABASE_URL.
 */

const root = resolve(import.meta.dirname, '..', '..');
const files = temporaryFolder();
const dataDir = join(files.folder, 'pglite');

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1', HOST: '127.0.0.1', VARIATION_ATLAS_DATA_DIR: dataDir, ...extra };
  delete env.DATABASE_URL;
  delete env.npm_lifecycle_event;
  return env;
}

function started(command: string, args: string[], env: NodeJS.ProcessEnv) {
  const began = Date.now();
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  child.stdout!.on('data', (data: Buffer) => (output.stdout += data.toString()));
  child.stderr!.on('data', (data: Buffer) => (output.stderr += data.toString()));
  const finished = new Promise<Finished>((done) => child.once('close', (code, signal) => done({ code, signal, ...output, ms: Date.now() - began })));
  return { child, output, finished };
}

const run = (command: string, args: string[], env: Record<string, string> = {}) => started(command, args, childEnv(env)).finished;
const tsx = (script: string, ...args: string[]): [string, string[]] => [process.execPath, ['--import', 'tsx', script, ...args]];

/** web/serve.ts as `npm run serve` runs it; node itself, so that the child's pid is the lock holder's. */
async function startServer(port: number): Promise<{ child: ChildProcess; finished: Promise<Finished> }> {
  const server = started(...tsx('web/serve.ts'), childEnv({ PORT: String(port) }));
  const ready = new Promise<void>((resolve) => server.child.stdout!.on('data', () => server.output.stdout.includes('Variation Atlas on') && resolve()));
  const early = await Promise.race([ready.then(() => null), server.finished]);
  if (early) throw new Error(`the server stopped before it listened: ${early.stdout}${early.stderr}`);
  return server;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

async function fingerprintOfFolder() {
  const handle = await createDatabase({ dataDir });
  try {
    return await databaseFingerprint(handle.db);
  } finally {
    await handle.close();
  }
}

/** What the running server answers about the loaded indicator, with the periods it has figures for. */
const readmissions = async (port: number) => (await fetch(`http://127.0.0.1:${port}/api/indicators/READMIT`)).text();
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe('one writer for the embedded database', () => {
  let before: Record<string, string>;
  let port: number;
  let server: Awaited<ReturnType<typeof startServer>>;

  beforeAll(async () => {
    const handle = await createDatabase({ dataDir });
    try {
      await migrateDatabase(handle);
      await loadOrganisations(handle, files.write('organisations.csv', referenceFiles['organisations.csv']));
      await loadNetworks(handle, files.write('networks.csv', referenceFiles['networks.csv']));
      await loadMemberships(handle, files.write('network_memberships.csv', referenceFiles['network_memberships.csv']));
      await loadIndicators(handle, files.write('indicators.csv', referenceFiles['indicators.csv']));
      const observations = files.write('readmit.csv', 'indicator_code,organisation_code,period,numerator,denominator\nREADMIT,RZA,2024/25 Q1,10,100\nREADMIT,RZB,2024/25 Q1,12,90\n');
      await loadObservations(handle, await openObservationSource(observations), observations);
      // The same process cannot open it twice either, and an in-memory database needs no lock.
      await expect(createDatabase({ dataDir })).rejects.toBeInstanceOf(DatabaseLockedError);
      const memory = [await createDatabase({ dataDir: 'memory' }), await createDatabase({ dataDir: 'memory' })];
      await Promise.all(memory.map((each) => each.close()));
      before = await databaseFingerprint(handle.db);
    } finally {
      await handle.close();
    }
    port = await freePort();
    server = await startServer(port);
  }, 180_000);

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.finished;
    files.remove();
  });

  it('refuses `etl demo` at once, naming the server, and loads nothing', async () => {
    const seen = await readmissions(port);
    expect(seen).toContain('2024/25 Q1');
    const etl = await run(...tsx('etl/cli.ts', 'demo'));
    expect(etl.code).toBe(1);
    expect(etl.stderr).toContain(`${dataDir} is in use by process ${server.child.pid} (web/serve.ts) since `);
    expect(etl.stderr).toContain('Upload data');
    expect(etl.stderr.trim().split('\n')).toHaveLength(1);
    noStack(etl.stderr);
    expect(etl.stdout).not.toContain('demo data');
    expect(await readmissions(port)).toBe(seen);
  }, 120_000);

  it('refuses a second server on another port, and the pack command', async () => {
    const second = await run(...tsx('web/serve.ts'), { PORT: String(await freePort()) });
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by process ${server.child.pid} (web/serve.ts)`);
    expect(second.stderr.trim().split('\n')).toHaveLength(1);
    expect(second.stdout).not.toContain('Variation Atlas on');
    noStack(second.stderr);
    const pack = await run(...tsx('api/pack/cli.ts', '--network', 'ODN1', '--period', '2024/25 Q1', '--out', files.folder));
    expect(pack.code).toBe(1);
    expect(pack.stderr).toContain(`in use by process ${server.child.pid}`);
    noStack(pack.stderr);
  }, 120_000);

  it('stops a second `npm start` in its preflight, before the dashboard build, on the port and on the database', async () => {
    const start = await run('npm', ['start'], { PORT: String(port) });
    expect(start.code).not.toBe(0);
    expect(start.stderr).toContain(`Port ${port} on 127.0.0.1 is already in use`);
    expect(start.stderr).toContain(`in use by process ${server.child.pid}`);
    noStack(start.stderr);
    expect(`${start.stdout}${start.stderr}`).not.toMatch(/vite|building|demo data/i);

    // Alone, a taken port is one line that names PORT; the dashboard's build alone takes about 30 s.
    const preflight = await run(...tsx('web/preflight.ts'), { PORT: String(port), VARIATION_ATLAS_DATA_DIR: join(files.folder, 'unused') });
    expect(preflight.code).toBe(1);
    expect(preflight.stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^Port ${port} on 127\\.0\\.0\\.1 is already in use.*PORT=`))]);
    expect(preflight.ms).toBeLessThan(15_000);
    expect(existsSync(join(files.folder, 'unused'))).toBe(false);
  }, 120_000);

  it('lets go of the folder when the server stops, which then opens exactly as it was', async () => {
    server.child.kill('SIGTERM');
    expect(await server.finished).toMatchObject({ code: 0 });
    expect(existsSync(lockPathOf(dataDir))).toBe(false);
    expect(await fingerprintOfFolder()).toEqual(before);
  }, 120_000);

  it('takes over from a SIGKILLed server at once', async () => {
    server = await startServer(port);
    server.child.kill('SIGKILL');
    expect((await server.finished).signal).toBe('SIGKILL');
    // The lock is still there, naming the dead server: the next opener must see that it has gone.
    expect(JSON.parse(readFileSync(`${lockPathOf(dataDir)}.owner.json`, 'utf8')).pid).toBe(server.child.pid);
    const began = Date.now();
    expect(await fingerprintOfFolder()).toEqual(before);
    expect(Date.now() - began).toBeLessThan(30_000);
  }, 180_000);
});
