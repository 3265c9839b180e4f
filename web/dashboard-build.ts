import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** What the dashboard is built from: its own sources and everything it may import from the API's folder ($api). */
const buildSources = ['web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'api', 'package-lock.json'];

/** The latest modification time of a file, or of anything in a folder (node_modules aside); 0 when absent. */
export function newestModification(path: string): number {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  let newest = stats.mtimeMs;
  for (const name of readdirSync(path)) if (name !== 'node_modules') newest = Math.max(newest, newestModification(join(path, name)));
  return newest;
}

/** True when web/build is newer than everything it is built from. */
export function dashboardBuildCurrent(): boolean {
  const handler = join(projectRoot, 'web', 'build', 'handler.js');
  if (!existsSync(handler)) return false;
  const built = statSync(handler).mtimeMs;
  return buildSources.every((source) => newestModification(join(projectRoot, source)) < built);
}

/**
 * Builds the dashboard (vite build) unless web/build is already current, so `npm start` on an unchanged checkout
 * does not spend half a minute rebuilding it. Concurrent callers (test files run in parallel) wait on a lock
 * directory rather than writing web/build at the same time. Resolves with whether it built.
 */
export async function ensureDashboardBuilt(): Promise<boolean> {
  const lock = join(projectRoot, 'web', '.build-lock');
  for (;;) {
    if (dashboardBuildCurrent()) return false;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any build takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((done) => setTimeout(done, 500));
    }
  }
  try {
    if (dashboardBuildCurrent()) return false;
    execFileSync(join(projectRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: join(projectRoot, 'web'), stdio: 'inherit' });
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
