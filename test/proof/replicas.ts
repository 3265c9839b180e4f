import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A server or worker started as `npm run serve` or `npm run worker` would start it, in a child process of its own. */
export interface AtlasProcess {
  child: ChildProcess;
  /** Where a server listens; undefined for a worker. */
  baseUrl?: string;
  /** Everything it wrote, for a failure's message. */
  output(): string;
  /** SIGTERM, and waits for it to exit. */
  stop(): Promise<void>;
  /** SIGKILL: no chance to finish anything. */
  kill(): Promise<void>;
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Starts web/serve.ts (an API replica) or web/worker.ts with this environment on top of the test's, and waits
 * for the line that says it is ready: the server's address, or the worker taking jobs.
 */
export async function startAtlas(entry: 'serve' | 'worker', env: Record<string, string>): Promise<AtlasProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'web', `${entry}.ts`)], {
    cwd: projectRoot,
    env: { ...process.env, HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const ready = new Promise<string | undefined>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk.toString();
      const address = /Variation Atlas on (http:\/\/\S+)/.exec(output);
      if (address) resolve(address[1]);
      else if (output.includes('Variation Atlas worker: taking jobs')) resolve(undefined);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`${entry} exited (${code}) before it was ready:\n${output}`)));
  });
  // Generous: tsx transpiles the whole server at start, slow on a loaded machine.
  const timeout = setTimeout(() => child.kill('SIGKILL'), 180_000);
  const baseUrl = await ready.finally(() => clearTimeout(timeout));
  return {
    child,
    baseUrl,
    output: () => output,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
    kill: async () => {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
