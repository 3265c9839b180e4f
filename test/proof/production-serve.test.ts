import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { rebuildCommand, writeBuildStamp } from '../../web/build-stamp';
import { ensureServerCompiled, serverBuildFolder } from '../../web/server-build';

const projectRoot = resolve(import.meta.dirname, '..', '..');

/** What a production host gets: the compiled server and what it reads beside its sources, without the TypeScript. */
const shipped = ['dist', 'package.json', 'package-lock.json', 'db/migrations', 'etl/catalogue', 'web/package.json'];

/** Stops a server and waits for it to exit, so nothing still writes into the folder when it is removed. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((done) => server.once('exit', done));
  server.kill('SIGTERM');
  await exited;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

/**
 * `npm ci --omit=dev` is enough to serve a build: the compiled server copied to an empty folder with the package
 * files, its dependencies installed without the dev ones (from npm's cache), started with node alone (no tsx),
 * answers /api/health, a funnel, and a PNG drawn in its render pool's compiled worker.
 */
const folder = mkdtempSync(join(tmpdir(), 'variation-atlas-production-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

it('serves /api/health, a funnel and a PNG export from dist/ after npm ci --omit=dev', async () => {
  await ensureServerCompiled();
  writeBuildStamp(projectRoot, serverBuildFolder);
  for (const path of shipped) cpSync(join(projectRoot, path), join(folder, path), { recursive: true });
  await promisify(execFile)('npm', ['ci', '--omit=dev', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: folder });
  expect(existsSync(join(folder, 'node_modules', 'tsx'))).toBe(false);
  expect(existsSync(join(folder, 'node_modules', 'esbuild'))).toBe(false);

  const port = await freePort();
  const server = spawn(process.execPath, ['dist/serve.js', '--demo'], {
    cwd: folder,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', VARIATION_ATLAS_DATA_DIR: join(folder, 'data') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk));
  server.stderr.on('data', (chunk: Buffer) => (output += chunk));
  try {
    await new Promise<void>((ready, failed) => {
      server.stdout.on('data', () => output.includes('Variation Atlas on') && ready());
      server.once('exit', (code) => failed(new Error(`the server exited (${code}):\n${output}`)));
    });
    const origin = `http://127.0.0.1:${port}`;
    expect(await (await fetch(`${origin}/api/health`)).json()).toEqual({ status: 'ok' });
    const funnel = await fetch(`${origin}/api/funnel?indicator=VA-SHMI`);
    expect(funnel.status).toBe(200);
    expect((await funnel.json()).providers.length).toBeGreaterThan(10);
    const png = await fetch(`${origin}/api/exports/funnel?indicator=VA-SHMI`);
    expect(png.status).toBe(200);
    expect([...new Uint8Array(await png.arrayBuffer()).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
    // With no sources beside dist/, nothing to say about its age.
    expect(output).not.toContain(rebuildCommand);
  } finally {
    await stopServer(server);
  }
}, 300_000);

it('warns in one line on stderr, naming the command, when the sources beside dist/ differ from those it was compiled from', async () => {
  // The host now has a source of the server beside dist/, different from the tree dist/ was stamped with.
  cpSync(join(projectRoot, 'web', 'serve.ts'), join(folder, 'web', 'serve.ts'));
  const port = await freePort();
  const server = spawn(process.execPath, ['dist/serve.js'], {
    cwd: folder,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), HOST: '127.0.0.1', VARIATION_ATLAS_DATA_DIR: join(folder, 'data-stale') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  try {
    const line = await new Promise<string>((found, failed) => {
      server.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk;
        const warning = stderr.split('\n').find((text) => text.includes(rebuildCommand));
        if (warning) found(warning);
      });
      server.stdout.on('data', (chunk: Buffer) => String(chunk).includes('Variation Atlas on') && failed(new Error(`the server started without a warning:\n${stderr}`)));
      server.once('exit', (code) => failed(new Error(`the server exited (${code}):\n${stderr}`)));
    });
    expect(line).toMatch(/^Warning: dist\/ was compiled from older sources/);
  } finally {
    await stopServer(server);
  }
}, 120_000);
