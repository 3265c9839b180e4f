import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createAtlasServer, listenAtlas, loadDashboard, type ApiFetch } from '../../web/server';
import { artefactsDir, ensureDashboardBuilt, launchChromium } from './browser';

/**
 * The built dashboard and the API behind a real socket, and a Chromium to drive them: started before the suite's
 * tests (after any hook registered earlier, such as a data load) and stopped after them.
 */
export function servedDashboard(apiFetch: () => ApiFetch): { origin: () => string; browser: () => Browser } {
  let server: Server | undefined;
  let origin = '';
  let browser: Browser | undefined;
  beforeAll(async () => {
    await ensureDashboardBuilt();
    server = createAtlasServer(apiFetch(), await loadDashboard());
    origin = await listenAtlas(server, 0, '127.0.0.1');
    browser = await launchChromium();
    mkdirSync(join(artefactsDir, 'e2e'), { recursive: true });
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });
  return { origin: () => origin, browser: () => browser! };
}
