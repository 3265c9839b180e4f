import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DatabaseLockedError, holderOf, lockDataFolder, lockPathOf, type LockOwner } from './lock';

/** The data folder's lock alone, without PGlite: who is refused, whose lock is taken over, what is left behind. */

let folder: string;
let dataDir: string;
let lockPath: string;
beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), 'variation-atlas-lock-'));
  dataDir = join(folder, 'pglite');
  lockPath = lockPathOf(dataDir);
});
afterEach(() => rmSync(folder, { recursive: true, force: true }));

const ownerPath = () => `${lockPath}.owner.json`;

/** A lock as a process that is no longer running would have left it. */
function leaveLock(owner: Partial<LockOwner>, mtime = new Date()) {
  mkdirSync(lockPath, { recursive: true });
  const full: LockOwner = { pid: 1, hostname: hostname(), command: 'web/serve.ts', startTicks: null, since: new Date().toISOString(), ...owner };
  writeFileSync(ownerPath(), JSON.stringify(full));
  utimesSync(lockPath, mtime, mtime);
}

const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;
const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000);

async function refusal(): Promise<DatabaseLockedError> {
  const error = await lockDataFolder(dataDir).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(DatabaseLockedError);
  return error as DatabaseLockedError;
}

describe('the data folder lock', () => {
  it('refuses a second opener at once, naming this process, and is gone once released', async () => {
    const release = await lockDataFolder(dataDir);
    expect(JSON.parse(readFileSync(ownerPath(), 'utf8'))).toMatchObject({ pid: process.pid, hostname: hostname() });
    const started = Date.now();
    const error = await refusal();
    expect(Date.now() - started).toBeLessThan(500);
    expect(error.message).toContain(`in use by process ${process.pid} (`);
    expect(error.message).toContain('DATABASE_URL');
    expect(error.message).toContain('Upload data');
    expect(error.message).not.toContain('\n');
    expect((await holderOf(dataDir))?.owner?.pid).toBe(process.pid);
    await release();
    await release(); // a second close changes nothing
    expect(existsSync(lockPath)).toBe(false);
    expect(existsSync(ownerPath())).toBe(false);
    expect(await holderOf(dataDir)).toBeNull();
    await (await lockDataFolder(dataDir))();
  });

  it('takes over the lock of a process that has gone', async () => {
    leaveLock({ pid: deadPid() });
    expect(await holderOf(dataDir)).toBeNull();
    const release = await lockDataFolder(dataDir);
    expect(JSON.parse(readFileSync(ownerPath(), 'utf8')).pid).toBe(process.pid);
    await release();
  });

  it('takes over a lock naming this pid that this process does not hold (a restarted container)', async () => {
    leaveLock({ pid: process.pid });
    await (await lockDataFolder(dataDir))();
  });

  it('refuses while the owner runs, and takes over when its pid belongs to a later process', async () => {
    const owner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      leaveLock({ pid: owner.pid!, command: 'etl/cli.ts demo' }, minutesAgo(10));
      // Not refreshed for ten minutes, yet its process is alive: a blocked event loop is no reason to take it.
      expect((await refusal()).message).toContain(`in use by process ${owner.pid} (etl/cli.ts demo) since `);
      if (existsSync('/proc/self/stat')) {
        leaveLock({ pid: owner.pid!, startTicks: '1' });
        await (await lockDataFolder(dataDir))();
      }
    } finally {
      owner.kill('SIGKILL');
    }
  });

  it('judges a lock without an owner file, or another host’s, by its refresh', async () => {
    mkdirSync(lockPath, { recursive: true });
    expect((await refusal()).message).toContain('another process that has not said which');
    utimesSync(lockPath, minutesAgo(2), minutesAgo(2));
    await (await lockDataFolder(dataDir))();

    leaveLock({ hostname: 'another-host', pid: 4242 });
    expect((await refusal()).message).toContain('process 4242 on another-host (web/serve.ts)');
    leaveLock({ hostname: 'another-host', pid: 4242 }, minutesAgo(2));
    await (await lockDataFolder(dataDir))();
  });

  it.each(['exit', 'SIGINT', 'SIGTERM'] as const)('is released when its process ends by %s', async (ending) => {
    // The exiting child waits for a line on stdin, so the lock is looked at while it is certainly held.
    const script = `import { lockDataFolder } from './db/lock.ts'; await lockDataFolder(${JSON.stringify(dataDir)}); console.log('held');` + (ending === 'exit' ? ' process.stdin.once("data", () => process.exit(3));' : ' setInterval(() => {}, 1000);');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: join(import.meta.dirname, '..'), stdio: ['pipe', 'pipe', 'inherit'] });
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
    const held = new Promise<boolean>((resolve) => child.stdout.on('data', (data: Buffer) => data.toString().includes('held') && resolve(true)));
    expect(await Promise.race([held, exited.then(() => false)])).toBe(true);
    expect(existsSync(lockPath)).toBe(true);
    if (ending === 'exit') child.stdin.write('end\n');
    else child.kill(ending);
    expect(await exited).toEqual(ending === 'exit' ? { code: 3, signal: null } : { code: null, signal: ending });
    expect(existsSync(lockPath)).toBe(false);
    expect(existsSync(ownerPath())).toBe(false);
  });
});
