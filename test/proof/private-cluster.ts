import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { missingMessage, postgresBinaries, prerequisites } from '../support/prerequisites';

/**
 * A PostgreSQL 15 cluster of our own, on a free port in a temporary folder, for the fault tests that stop and
 * crash the server: the machine's shared server is never touched. initdb refuses to run as root, so as root
 * the binaries run as the postgres user.
 */

const run = promisify(execFile);
const asRoot = process.getuid?.() === 0;

export interface PrivateCluster {
  url: string;
  port: number;
  /** 'fast' disconnects clients and shuts down cleanly; 'immediate' is a crash: recovery replays the WAL on start. */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** Returns once the server accepts connections. */
  start(): Promise<void>;
  /** The server's log so far, to explain a failure. */
  log(): string;
  remove(): Promise<void>;
}

/** Why a private cluster cannot be made here, or undefined when it can. */
export function privateClusterUnavailable(): string | undefined {
  const reason = prerequisites.postgres.missing();
  return reason && missingMessage(prerequisites.postgres, reason);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function postgresTool(tool: string, args: string[]): Promise<void> {
  const command = join(postgresBinaries, tool);
  await (asRoot ? run('runuser', ['-u', 'postgres', '--', command, ...args]) : run(command, args));
}

export async function startPrivateCluster(): Promise<PrivateCluster> {
  const folder = mkdtempSync(join(tmpdir(), 'va-cluster-'));
  if (asRoot) chownSync(folder, Number((await run('id', ['-u', 'postgres'])).stdout.trim()), Number((await run('id', ['-g', 'postgres'])).stdout.trim()));
  const data = join(folder, 'data');
  const port = await freePort();
  await postgresTool('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  const options = `-p ${port} -k ${folder} -c listen_addresses=127.0.0.1`;
  const start = () => postgresTool('pg_ctl', ['-D', data, '-o', options, '-l', join(folder, 'server.log'), '-w', '-t', '60', 'start']);
  const stop = (mode: 'fast' | 'immediate') => postgresTool('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
  await start();
  let running = true;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    stop: async (mode) => {
      await stop(mode);
      running = false;
    },
    start: async () => {
      await start();
      running = true;
    },
    log: () => readFileSync(join(folder, 'server.log'), 'utf8'),
    remove: async () => {
      if (running) await stop('immediate').catch(() => undefined);
      rmSync(folder, { recursive: true, force: true });
    },
  };
}
