import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadExample } from '../../etl/example/load-example';
import { artefactsDir, chromiumAvailable } from '../support/browser';
import { describeDatabase } from '../support/database';
import { getJson } from '../support/demo-api';
import { describeNeeding } from '../support/prerequisites';
import { servedDashboard } from '../support/served-dashboard';

/**
 * The indicator page's summary says how many outliers chance alone would give, with the API's numbers, on
 * the England example's CWT 62-day funnel; photographed at desktop and phone sizes into artefacts/e2e.
 */
const suite = (name: string, body: Parameters<typeof describeDatabase>[1]) =>
  chromiumAvailable ? describeDatabase(name, body) : describeNeeding('chromium', name, () => describeDatabase(name, body));

suite('indicator page: the chance context beside the counts', (database) => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    await loadExample(database(), 'england', { loadedBy: 'test' });
    app = createApp({ db: database().db, databaseKind: database().kind });
  }, 300_000);
  const served = servedDashboard(() => app.fetch);

  it('reads the expected count and binomial range at 99.8 % and 95 % from the API, at 1440 × 900 and 375 × 812', async () => {
    const { chance } = await getJson(app, '/api/funnel?indicator=CWT-62D');
    const [at95, at998] = chance.limits;
    for (const [width, height] of [[1440, 900], [375, 812]]) {
      const page = await served.browser().newPage({ viewport: { width, height } });
      await page.goto(`${served.origin()}/indicators/CWT-62D`, { waitUntil: 'networkidle' });
      const text = await page.locator('[data-chance]').textContent();
      expect(text).toBe(
        `By chance alone, ${at998.expected.toFixed(2)} of the ${chance.judged} judged would be beyond 99.8 % (${at998.lower} to ${at998.upper}) and ${at95.expected.toFixed(1)} beyond 95 % (${at95.lower} to ${at95.upper}).`,
      );
      await page.screenshot({ path: join(artefactsDir, 'e2e', `indicator-chance-${width}x${height}-${database().kind}.png`), fullPage: false });
      await page.close();
    }
  }, 120_000);
});
