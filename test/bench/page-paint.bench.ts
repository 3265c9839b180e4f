import type { Server } from 'node:http';
import { createApp } from '../../api/app';
import { loadDemo } from '../../etl/demo/load-demo';
import { createAtlasServer, listenAtlas, loadDashboard } from '../../web/server';
import { chromiumAvailable, chromiumPath, ensureDashboardBuilt, launchChromium } from '../support/browser';
import { createTestDatabase } from '../support/database';
import { report } from './measure';

const visits = 5;

/**
 * First paint (Chromium's first-contentful-paint) of the home, network, provider and indicator pages of the demo,
 * served as `npm start` serves them: the median of 5 visits each in a fresh browser context, after a first visit
 * that fills the analysis cache, each as a ratio to the indicator page measured in the same run. Target: every page
 * within 1.5 × of it (issue 16).
 */
export async function pagePaintBench(): Promise<void> {
  if (!chromiumAvailable) {
    console.log(`\n## Dashboard first paint\n  skipped: no Chromium at ${chromiumPath} (apt-get install chromium)`);
    return;
  }
  await ensureDashboardBuilt();
  const handle = await createTestDatabase();
  let server: Server | undefined;
  const browser = await launchChromium();
  try {
    await loadDemo(handle);
    server = createAtlasServer(createApp({ db: handle.db, databaseKind: handle.kind }).fetch, await loadDashboard());
    const origin = await listenAtlas(server, 0, '127.0.0.1');
    const ranking = ((await (await fetch(`${origin}/api/variation/networks`)).json()) as { ranking: string[] }).ranking;
    const pages = { indicator: '/indicators/VA-CANCER62', home: '/', network: `/networks/${ranking[0]}`, provider: '/providers/RZB' };
    const medians: Record<string, number> = {};
    for (const [name, path] of Object.entries(pages)) {
      const paints: number[] = [];
      for (let visit = 0; visit <= visits; visit++) {
        const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
        const page = await context.newPage();
        await page.goto(`${origin}${path}`, { waitUntil: 'load', timeout: 120_000 });
        // The load event can come before the first paint: wait for the entry.
        const paint = await page.evaluate(
          () =>
            new Promise<number>((resolve) =>
              new PerformanceObserver((list) => {
                const entry = list.getEntriesByName('first-contentful-paint')[0];
                if (entry) resolve(entry.startTime);
              }).observe({ type: 'paint', buffered: true }),
            ),
        );
        if (visit > 0) paints.push(paint);
        await context.close();
      }
      paints.sort((a, b) => a - b);
      medians[name] = paints[Math.floor(paints.length / 2)];
    }
    report(`Dashboard first paint (demo on ${handle.kind}, 1440 × 900, median of ${visits} warm visits)`, [
      ...Object.entries(pages).map(([name, path]) => ({
        name: `${name} (${path})`,
        value: `${medians[name].toFixed(0)} ms`,
        baseline: name === 'indicator' ? undefined : `indicator ${medians.indicator.toFixed(0)} ms`,
        ratio: name === 'indicator' ? undefined : medians[name] / medians.indicator,
        target: name === 'indicator' ? undefined : '≤ 1.5',
      })),
    ]);
  } finally {
    await browser.close();
    await new Promise((resolve) => server?.close(resolve));
    await handle.close();
  }
}
