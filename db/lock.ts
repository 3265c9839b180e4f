import fs from 'node:fs';
import { hostname } from 'node:os';
import { relative, resolve } from 'node:path';
import lockfile from 'proper-lockfile';

/**
 * One process at a time for a PGlite data folder. PGlite is a whole single-user PostgreSQL inside the
 * process, with its own buffers and WAL position; a second instance on the same folder, even one that only
 * reads, neither sees the first one's writes nor leaves its files alone (it checkpoints on close), and the
 * folder no longer opens. So every opener takes `<folder>.lock` (proper-lockfile: an atomic mkdir, its mtime
 * refreshed while held) and says who it is in `<folder>.lock.owner.json` beside it (a file inside would
 * change the lock's mtime, which proper-lockfile reads as the lock taken from it).
 */

export interface LockOwner {
  pid: number;
  hostname: string;
  /** The script and its arguments, and the npm script that ran it. */
  command: string;
  /** When the process started, from /proc (Linux), to tell the owner from a later process given its pid. */
  startTicks: string | null;
  since: string;
}

/** Who holds a folder; owner null while a holder has not yet written its owner file. */
export type LockHolder = { owner: LockOwner } | { owner: null; lockPath: string };

type LockState = { state: 'free' } | { state: 'held'; holder: LockHolder } | { state: 'abandoned'; owner: LockOwner | null };

const refreshMs = 5_000;
/** A lock whose holder cannot be asked by pid (another host, no owner file) is abandoned after this long unrefreshed. */
export const abandonedAfterMs = 60_000;

export const lockPathOf = (dataDir: string) => `${resolve(dataDir)}.lock`;
const ownerPathOf = (lockPath: string) => `${lockPath}.owner.json`;

/** Removing a lock removes its owner file first, in proper-lockfile's release and in its clean-up at exit alike. */
const lockFs = {
  ...fs,
  rmdir: (path: string, callback: (error: NodeJS.ErrnoException | null) => void) =>
    fs.rm(ownerPathOf(path), { force: true }, () => fs.rmdir(path, callback)),
  rmdirSync: (path: string) => {
    fs.rmSync(ownerPathOf(path), { force: true });
    fs.rmdirSync(path);
  },
};

export class DatabaseLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(lockedMessage(dataDir, holder));
    this.name = 'DatabaseLockedError';
  }
}

const heldHere = new Set<string>();

/**
 * Makes the folder if need be and takes its lock, or throws DatabaseLockedError at once, naming the holder.
 * A lock left by a process that is gone (SIGKILL, a crash, a power cut) is taken over.
 */
export async function lockDataFolder(dataDir: string): Promise<() => Promise<void>> {
  const folder = resolve(dataDir);
  const lockPath = lockPathOf(folder);
  fs.mkdirSync(folder, { recursive: true });
  for (let attempt = 0; ; attempt++) {
    try {
      const release = await lockfile.lock(folder, {
        lockfilePath: lockPath,
        realpath: false,
        // Never judged stale by mtime alone: PGlite's synchronous WASM can hold the event loop (and so the
        // refresh) for seconds while its owner is alive. lockState() asks the owner's pid instead.
        stale: Infinity,
        update: refreshMs,
        fs: lockFs,
        onCompromised: () => {
          // Someone removed or replaced the lock: carrying on could mean two writers.
          console.error(`The lock on the embedded database ${folder} was removed by another process; stopping so that only one process writes it.`);
          process.exit(1);
        },
      });
      heldHere.add(folder);
      let released = false;
      const releaseOnce = async () => {
        if (released) return;
        released = true;
        heldHere.delete(folder);
        await release();
      };
      try {
        // Written whole, then renamed, so a reader never sees half of it.
        const ownerPath = ownerPathOf(lockPath);
        fs.writeFileSync(`${ownerPath}.${process.pid}`, JSON.stringify(ownerOfThisProcess()));
        fs.renameSync(`${ownerPath}.${process.pid}`, ownerPath);
      } catch (error) {
        await releaseOnce();
        throw error;
      }
      return releaseOnce;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const found = await lockState(folder);
      // A second refusal means another process took over the same abandoned lock first.
      if (found.state === 'held' || attempt > 2) throw new DatabaseLockedError(folder, found.state === 'held' ? found.holder : { owner: null, lockPath });
      if (found.state === 'abandoned' && sameOwner(found.owner, readOwner(lockPath))) {
        fs.rmSync(ownerPathOf(lockPath), { force: true });
        fs.rmSync(lockPath, { recursive: true, force: true });
      }
    }
  }
}

/** The live process holding the folder, or null when it is free or its holder is gone. */
export async function holderOf(dataDir: string): Promise<LockHolder | null> {
  const found = await lockState(resolve(dataDir));
  return found.state === 'held' ? found.holder : null;
}

async function lockState(folder: string): Promise<LockState> {
  const lockPath = lockPathOf(folder);
  // A holder writes its owner file just after its mkdir: give it a moment.
  for (let wait = 0; wait < 20; wait++) {
    const stat = fs.statSync(lockPath, { throwIfNoEntry: false });
    if (!stat) return { state: 'free' };
    const owner = readOwner(lockPath);
    if (owner) return isAlive(owner, folder, stat.mtimeMs) ? { state: 'held', holder: { owner } } : { state: 'abandoned', owner };
    await new Promise((done) => setTimeout(done, 50));
  }
  const stat = fs.statSync(lockPath, { throwIfNoEntry: false });
  if (!stat) return { state: 'free' };
  return abandoned(stat.mtimeMs) ? { state: 'abandoned', owner: null } : { state: 'held', holder: { owner: null, lockPath } };
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    return JSON.parse(fs.readFileSync(ownerPathOf(lockPath), 'utf8')) as LockOwner;
  } catch {
    return null; // not written yet
  }
}

const sameOwner = (a: LockOwner | null, b: LockOwner | null) => a?.pid === b?.pid && a?.since === b?.since;

const abandoned = (mtimeMs: number) => mtimeMs < Date.now() - abandonedAfterMs;

function isAlive(owner: LockOwner, folder: string, lockMtimeMs: number): boolean {
  if (owner.hostname !== hostname()) return !abandoned(lockMtimeMs);
  // Our own pid: either this process holds it already, or it is a previous run's (a restarted container).
  if (owner.pid === process.pid) return heldHere.has(folder);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // A zombie, or a later process given the same pid, is not the owner; without /proc the pid is all there is.
  const status = processStatus(owner.pid);
  if (!status) return true;
  return status.state !== 'Z' && (owner.startTicks === null || status.startTicks === owner.startTicks);
}

/** State and start time (clock ticks after boot) from /proc/<pid>/stat, whose fields 3 and 22 follow the ")" of the name. */
function processStatus(pid: number | 'self'): { state: string; startTicks: string } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0], startTicks: fields[19] };
  } catch {
    return null;
  }
}

function ownerOfThisProcess(): LockOwner {
  const script = process.argv[1] ?? '';
  const args = [relative(process.cwd(), script) || script, ...process.argv.slice(2)].join(' ');
  const npmScript = process.env.npm_lifecycle_event;
  return {
    pid: process.pid,
    hostname: hostname(),
    command: npmScript ? `${args}, from npm ${npmScript === 'start' ? 'start' : `run ${npmScript}`}` : args,
    startTicks: processStatus('self')?.startTicks ?? null,
    since: new Date().toISOString(),
  };
}

/** One paragraph: who holds the folder and what to do instead. */
export function lockedMessage(dataDir: string, holder: LockHolder): string {
  const { owner } = holder;
  const here = owner?.hostname === hostname();
  const who = owner
    ? `process ${owner.pid}${here ? '' : ` on ${owner.hostname}`} (${owner.command}) since ${new Date(owner.since).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' })}`
    : `another process that has not said which (its lock ${holder.lockPath} lapses ${abandonedAfterMs / 1000} s after it stops refreshing it)`;
  return (
    `The embedded database ${resolve(dataDir)} is in use by ${who}. PGlite lets one process at a time open its folder, even to read, ` +
    `so this command has not touched it. Stop that process first${here ? ` (Ctrl+C in its terminal, or kill ${owner.pid})` : ''}; or do this through the running ` +
    `server: load files on the dashboard's Upload data page or with POST /api/uploads, and make board packs with GET /api/packs; ` +
    `or set DATABASE_URL to use PostgreSQL, which many processes can share.`
  );
}
