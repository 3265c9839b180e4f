import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { chromiumPath, prerequisites } from './prerequisites';

export { chromiumPath };
export const chromiumAvailable = prerequisites.chromium.missing() === undefined;

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const artefactsDir = join(projectRoot, 'artefacts');

/** Headless, and quiet: this machine's network is closed, so Chromium must not try to phone home. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
}

function newestModification(path: string): number {
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return Math.max(stats.mtimeMs, ...readdirSync(path).filter((name) => name !== 'node_modules').map((name) => newestModification(join(path, name))));
}

/**
 * Builds the dashboard (`npm run build:web`) unless web/build is newer than everything it is built from, so
 * the browser tests and benchmarks always drive the current code. Test files run in parallel, so one builds
 * while the others wait on a lock directory rather than writing web/build at the same time.
 */
export async function ensureDashboardBuilt(): Promise<void> {
  const handler = join(projectRoot, 'web', 'build', 'handler.js');
  const sources = ['web/src', 'web/static', 'web/svelte.config.js', 'web/vite.config.ts', 'api/charts'].map((path) => join(projectRoot, path));
  const current = () => existsSync(handler) && statSync(handler).mtimeMs > Math.max(...sources.map(newestModification));
  const lock = join(projectRoot, 'web', '.build-lock');
  for (;;) {
    if (current()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any build takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  try {
    if (!current()) execFileSync(join(projectRoot, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: join(projectRoot, 'web'), stdio: 'inherit' });
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
