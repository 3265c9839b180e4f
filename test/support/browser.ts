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

/** The browser tests and benchmarks drive the current code: the dashboard is rebuilt when its sources changed. */
export { ensureDashboardBuilt } from '../../web/dashboard-build';
