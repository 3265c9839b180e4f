import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { currentDataVersion } from '../../api/analysis-cache';
import { queryRows } from '../../db';
import { describeDemoApi } from '../support/demo-api';

/** Tables that say who may ask, not what the answer is: the cache key carries the caller's role and networks instead. */
const tablesAnalysesDoNotRead = new Set(['users', 'user_networks', 'api_tokens', 'audit_events', 'sessions', 'sign_in_requests', 'uploads', 'data_version', 'rate_limit_windows']);
// What each load changed and who is told (api/changes): /api/changes and /api/alerts read them, and neither is cached.
for (const table of ['change_events', 'verdict_changes', 'alert_subscriptions', 'alert_digests', 'alert_deliveries', 'outlier_case_overdue_notices']) tablesAnalysesDoNotRead.add(table);
// A staged upload's bytes (api/routes/uploads/staged-files.ts): no analysis reads a file before it is loaded.
tablesAnalysesDoNotRead.add('upload_chunks');
// Outlier cases and commentary (api/routes/cases, api/routes/annotations): /api/cases and /api/commentary are not cached.
// Chart notes are drawn on the cached SPC exports, so chart_annotations keeps its trigger (migration 0011).
for (const table of ['outlier_cases', 'outlier_case_events', 'network_commentaries']) tablesAnalysesDoNotRead.add(table);

describeDemoApi('analyses cached by data version', ({ app, database }) => {
  const funnelPath = '/api/funnel?indicator=VA-CANCER62&network=KB-CANCER';

  it('answers a repeated analysis from memory, byte for byte, with a strong ETag that turns a revalidation into a 304', async () => {
    const first = await app().request(funnelPath);
    const second = await app().request(funnelPath);
    expect(first.status).toBe(200);
    expect(first.headers.get('x-analysis-cache')).toBe('miss');
    expect(second.headers.get('x-analysis-cache')).toBe('hit');
    expect(await second.text()).toBe(await first.text());
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(second.headers.get('etag')).toBe(etag);
    expect(second.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(second.headers.get('cache-control')).toBe('private, no-cache');
    const revalidated = await app().request(funnelPath, { headers: { 'if-none-match': etag } });
    expect(revalidated.status).toBe(304);
    expect(await revalidated.text()).toBe('');
    // The same parameters in another order are the same analysis.
    const reordered = await app().request('/api/funnel?network=KB-CANCER&indicator=VA-CANCER62');
    expect(reordered.headers.get('x-analysis-cache')).toBe('hit');
  });

  it('never serves an answer computed under another threshold, nor an error', async () => {
    const raised = await app().request(`${funnelPath}&suppression=20`);
    expect(raised.headers.get('x-analysis-cache')).toBe('miss');
    expect(await raised.text()).not.toBe(await (await app().request(funnelPath)).text());
    for (let i = 0; i < 2; i++) {
      const refused = await app().request('/api/funnel?indicator=NO-SUCH');
      expect(refused.status).toBe(404);
      expect(refused.headers.get('x-analysis-cache')).toBeNull();
    }
  });

  it('is never stale: a change to an observation is in the very next answer', async () => {
    const before = await (await app().request(funnelPath)).json();
    const provider = before.providers.find((one: { suppressed: boolean; numerator: number | null; denominator: number | null }) => !one.suppressed && one.numerator! + 10 <= one.denominator!);
    const version = await currentDataVersion(database().db);
    await database().db.execute(sql`
      update observations set numerator = numerator + 10
      where indicator_id = (select id from indicators where code = 'VA-CANCER62')
        and organisation_id = (select id from organisations where code = ${provider.code})
        and period_id = (select id from periods where label = ${before.period.label} and indicator_id = (select id from indicators where code = 'VA-CANCER62'))`);
    expect(await currentDataVersion(database().db)).toBeGreaterThan(version);
    const after = await app().request(funnelPath);
    expect(after.headers.get('x-analysis-cache')).toBe('miss');
    const changed = (await after.json()).providers.find((one: { code: string }) => one.code === provider.code);
    expect(changed.numerator).toBe(provider.numerator + 10);
  });

  it('raises the version on a write to every table an analysis reads, and names each table it leaves out', async () => {
    const tables = await queryRows<{ table_name: string }>(database().db, sql`select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE' and table_name not like '%drizzle%' order by 1`);
    const watched = tables.map((row) => row.table_name).filter((name) => !tablesAnalysesDoNotRead.has(name));
    expect(watched).toEqual(expect.arrayContaining(['observations', 'organisations', 'network_memberships', 'load_batches', 'indicator_targets']));
    for (const table of watched) {
      const version = await currentDataVersion(database().db);
      // A statement-level trigger fires even when no row matches.
      await database().db.execute(sql.raw(`delete from "${table}" where false`));
      expect(await currentDataVersion(database().db), table).toBe(version + 1);
    }
  });

  it('keeps nothing when turned off', async () => {
    const uncached = createApp({ db: database().db, databaseKind: database().kind, config: { analysisCacheBytes: 0 } });
    for (let i = 0; i < 2; i++) {
      const answer = await uncached.request(funnelPath);
      expect(answer.status).toBe(200);
      expect(answer.headers.get('x-analysis-cache')).toBeNull();
    }
  });
});
