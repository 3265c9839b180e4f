import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { report } from './measure';

const projectRoot = resolve(import.meta.dirname, '..', '..');
const rounds = 3;

/** The checkout as `npm start` reads it, copied with its timestamps so that builds current here are current there. */
function snapshot(): string {
  const folder = mkdtempSync(join(tmpdir(), 'variation-atlas-start-up-'));
  for (const path of ['api', 'db', 'etl', 'web', 'dist', 'package.json', 'package-lock.json', 'tsconfig.json']) {
    cpSync(join(projectRoot, path), join(folder, path), { recursive: true, preserveTimestamps: true, filter: (source) => !source.includes('node_modules') && !source.endsWith('.build-lock') });
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(folder, 'node_modules'));
  return folder;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/** Seconds from `npm run <script>` to the first 200 from /api/health; then the script's processes are stopped. */
async function secondsToHealthy(folder: string, script: 'start' | 'serve'): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn('npm', ['run', script], { cwd: folder, detached: true, stdio: 'ignore', env: { ...process.env, DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1', VARIATION_ATLAS_DATA_DIR: join(folder, 'data') } });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`npm run ${script} exited with ${child.exitCode} before it answered`);
      const healthy = await fetch(`http://127.0.0.1:${port}/api/health`).then((response) => response.ok, () => false);
      if (healthy) return (performance.now() - started) / 1000;
      if (performance.now() - started > 600_000) throw new Error(`npm run ${script} did not answer within 10 minutes`);
      await new Promise((done) => setTimeout(done, 50));
    }
  } finally {
    const exited = new Promise((done) => child.once('exit', done));
    process.kill(-child.pid!, 'SIGTERM');
    await exited;
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * `npm start` on a loaded embedded database and an unchanged checkout (a copy of this one, so nobody's edits
 * trigger a build) against `npm run serve` of the same build, taken in turns: seconds until /api/health answers.
 * Target: `npm start` at most 2 × `npm run serve`.
 */
export async function startUpBench(): Promise<void> {
  const folder = snapshot();
  try {
    // Builds whatever is stale and loads the demo, once.
    const first = await secondsToHealthy(folder, 'start');
    const start: number[] = [];
    const serve: number[] = [];
    for (let round = 0; round < rounds; round++) {
      start.push(await secondsToHealthy(folder, 'start'));
      serve.push(await secondsToHealthy(folder, 'serve'));
    }
    const seconds = (value: number) => `${value.toFixed(1)} s`;
    report(`Start-up until /api/health answers, PGlite holding the demo (medians of ${rounds}, taken in turns)`, [
      { name: 'npm run serve (node dist/serve.js)', value: seconds(median(serve)) },
      { name: 'npm start, nothing changed', value: seconds(median(start)), baseline: `npm run serve ${seconds(median(serve))}`, ratio: median(start) / median(serve), target: '<= 2' },
      { name: 'first npm start (builds what is stale, loads the demo)', value: seconds(first) },
    ]);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
