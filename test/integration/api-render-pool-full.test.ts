import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { loadDemo } from '../../etl/demo/load-demo';
import { describeDatabase } from '../support/database';
import { stackTracePattern } from '../support/raw-observations';

/**
 * With one render thread and no room to wait, a second chart or pack asked for while the first is drawn is refused
 * at once: a JSON 429 naming the render queue, with a Retry-After in whole seconds, never a 500 or a stack.
 */
describeDatabase('exports and packs when the render pool is full', (database) => {
  let app: ReturnType<typeof createApp>;
  beforeAll(async () => {
    await loadDemo(database());
    app = createApp({ db: database().db, databaseKind: database().kind, config: { renderPool: { threads: 1, queue: 0 } } });
  });

  it('answers the request that finds no room 429 with Retry-After, and draws again once the thread is free', async () => {
    const paths = ['/api/packs?network=KB-CC-ODN&format=pdf', '/api/exports/tartan?network=KB-CC-ODN', '/api/exports/funnel?indicator=VA-SHMI&format=svg'];
    const answers = await Promise.all(paths.map((path) => app.request(path)));
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.filter((status) => status === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((status) => status === 200 || status === 429)).toBe(true);
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const answer of refused) {
      expect(answer.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      const text = await answer.text();
      expect(JSON.parse(text).error).toMatchObject({ code: 'render_queue_full' });
      expect(text).not.toMatch(stackTracePattern);
    }
    const again = await app.request('/api/exports/funnel?indicator=VA-SHMI&format=svg');
    expect(again.status).toBe(200);
    expect(await again.text()).toContain('<svg');
  }, 120_000);
});
