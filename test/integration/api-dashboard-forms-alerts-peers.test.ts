import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { loadAttributes } from '../../etl/load/load-attributes';
import { seedChangesFixture, trusts } from '../support/changes-fixture';
import { describeDatabase } from '../support/database';

/**
 * The dashboard's plain forms (no script) for subscriptions and peer sets post to the same JSON routes scripts
 * use: a form comes back to its page with `saved` (a webhook's secret in a short-lived cookie for the Alerts page,
 * never in the URL), a refusal with its code, and a peer set saved from the nearest-neighbour form holds the same
 * members as GET /api/peers/nearest and as a brute-force distance computed here. Viewers may not save or delete sets.
 */
describeDatabase('API plain forms for subscriptions and peer sets', (getDatabase) => {
  let fixture: Awaited<ReturnType<typeof seedChangesFixture>>;
  let viewer: { id: number; token: string };
  let analyst: { id: number; token: string };
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });
  /** A browser's form post: a navigation, from the page named. */
  const form = (token: string, path: string, fields: [string, string][], from = '/alerts') =>
    app().request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-mode': 'navigate', referer: `http://localhost${from}` },
      body: new URLSearchParams(fields).toString(),
    });
  const json = async (token: string, path: string) => (await app().request(path, { headers: { authorization: `Bearer ${token}` } })).json();
  // Beds and a deprivation decile per trust, made up so that distances differ; a category for `within`.
  const beds = (i: number) => 300 + ((i * 137) % 900);
  const decile = (i: number) => 1 + ((i * 7) % 10);
  const kind = (i: number) => (i % 3 === 0 ? 'teaching' : 'district_general');

  beforeAll(async () => {
    fixture = await seedChangesFixture(getDatabase());
    viewer = await fixture.person('viewer@example.nhs.uk', 'viewer', null);
    analyst = await fixture.person('analyst@example.nhs.uk', 'analyst', null);
    const rows = trusts.flatMap((code, i) => [`${code},beds,numeric,${beds(i)}`, `${code},deprivation_decile,numeric,${decile(i)}`, `${code},trust_type,categorical,${kind(i)}`]);
    await loadAttributes(getDatabase(), fixture.files.write('attributes.csv', ['organisation_code,attribute,type,value', ...rows].join('\n')), 'tester');
  });
  afterAll(() => fixture?.files.remove());

  it('subscribes from a form (e-mail as the checkbox posts it), back to the page with saved; a second time back with error=conflict', async () => {
    const made = await form(viewer.token, '/api/alerts/subscriptions', [['scope', 'provider'], ['code', 'RT05'], ['email', 'true'], ['webhookUrl', ''], ['returnTo', '/providers/RT05?followed=provider%3ART05']], '/providers/RT05');
    expect([made.status, made.headers.get('location')]).toEqual([303, '/providers/RT05?followed=provider%3ART05&saved=1']);
    const [row] = await getDatabase().db.select().from(schema.alertSubscriptions).where(eq(schema.alertSubscriptions.userId, viewer.id));
    expect(row).toMatchObject({ scope: 'provider', code: 'RT05', email: true, webhookUrl: null });
    const again = await form(viewer.token, '/api/alerts/subscriptions', [['scope', 'provider'], ['code', 'RT05'], ['returnTo', '/alerts']]);
    expect([again.status, again.headers.get('location')]).toEqual([303, '/alerts?error=conflict']);
    const unknown = await form(viewer.token, '/api/alerts/subscriptions', [['scope', 'network'], ['code', 'SECRET'], ['returnTo', '/alerts']]);
    expect(unknown.headers.get('location')).toBe('/alerts?error=not_found');
    const bad = await form(viewer.token, '/api/alerts/subscriptions', [['scope', 'network'], ['code', 'NET1'], ['webhookUrl', 'ftp://example.org/'], ['returnTo', '/alerts']]);
    expect(bad.headers.get('location')).toBe('/alerts?error=invalid_parameter');
    // A script's JSON is unchanged: a boolean, and a 409 as JSON.
    const script = await app().request('/api/alerts/subscriptions', { method: 'POST', headers: { authorization: `Bearer ${viewer.token}`, 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'provider', code: 'RT05', email: 'yes' }) });
    expect([script.status, (await script.json()).error.parameter]).toEqual([400, 'email']);
  });

  it('gives a webhook secret made by a form to the Alerts page in a short-lived cookie, never in the URL', async () => {
    const made = await form(viewer.token, '/api/alerts/subscriptions', [['scope', 'network'], ['code', 'NET1'], ['webhookUrl', 'https://hooks.example.org/va'], ['returnTo', '/alerts']]);
    expect(made.status).toBe(303);
    expect(made.headers.get('location')).toBe('/alerts?saved=1');
    const cookie = made.headers.get('set-cookie') ?? '';
    const [row] = await getDatabase().db.select().from(schema.alertSubscriptions).where(eq(schema.alertSubscriptions.code, 'NET1'));
    expect(cookie).toContain(`va_webhook_secret=${row.id}.${row.webhookSecret}`);
    expect(cookie).toMatch(/Path=\/alerts/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect(made.headers.get('location')).not.toContain('whsec_');
  });

  it('unsubscribes and marks read from forms; another user’s subscription is refused as missing', async () => {
    const subscriptions = (await json(viewer.token, '/api/alerts/subscriptions')).subscriptions as { id: number; code: string }[];
    const provider = subscriptions.find((one) => one.code === 'RT05')!;
    const theirs = await form(analyst.token, `/api/alerts/subscriptions/${provider.id}/delete`, [['returnTo', '/alerts']]);
    expect(theirs.headers.get('location')).toBe('/alerts?error=not_found');
    const stopped = await form(viewer.token, `/api/alerts/subscriptions/${provider.id}/delete`, [['returnTo', '/alerts']]);
    expect([stopped.status, stopped.headers.get('location')]).toEqual([303, '/alerts?saved=1']);
    expect(((await json(viewer.token, '/api/alerts/subscriptions')).subscriptions as { code: string }[]).map((one) => one.code)).toEqual(['NET1']);
    const missing = await form(viewer.token, '/api/alerts/inbox/999999/read', [['returnTo', '/alerts']]);
    expect(missing.headers.get('location')).toBe('/alerts?error=not_found');
  });

  /** Brute force: z-scores over the trusts with both attributes (sample sd), weighted Euclidean distance, k nearest, ties by code. */
  function bruteForceNearest(of: string, weights: [number, number], k: number, within?: string): string[] {
    const index = trusts.indexOf(of);
    const pool = trusts.map((code, i) => ({ code, i })).filter((one) => !within || kind(one.i) === kind(index));
    const columns = [pool.map((one) => beds(one.i)), pool.map((one) => decile(one.i))];
    const stats = columns.map((values) => {
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / (values.length - 1));
      return { mean, sd };
    });
    const z = (value: number, a: number) => (stats[a].sd === 0 ? 0 : (value - stats[a].mean) / stats[a].sd);
    const total = weights[0] + weights[1];
    const distance = (i: number) => Math.sqrt((weights[0] * (z(beds(i), 0) - z(beds(index), 0)) ** 2 + weights[1] * (z(decile(i), 1) - z(decile(index), 1)) ** 2) / total);
    return pool
      .filter((one) => one.code !== of)
      .map((one) => ({ code: one.code, d: distance(one.i) }))
      .sort((a, b) => a.d - b.d || a.code.localeCompare(b.code))
      .slice(0, k)
      .map((one) => one.code);
  }

  it('saves the nearest neighbours from the form’s flat fields, as the brute force finds them, and goes on to the set', async () => {
    const fields: [string, string][] = [['name', 'Like RT07'], ['nearestOf', 'RT07'], ['k', '4'], ['attribute', 'beds'], ['weight-beds', '2'], ['attribute', 'deprivation_decile'], ['weight-deprivation_decile', '1'], ['within', 'trust_type']];
    expect((await form(viewer.token, '/api/peers/sets', fields, '/peers')).headers.get('location')).toBe('/peers?error=forbidden');
    const saved = await form(analyst.token, '/api/peers/sets', fields, '/peers?of=RT07');
    expect(saved.status).toBe(303);
    const id = Number(/^\/peers\?set=(\d+)&saved=created$/.exec(saved.headers.get('location') ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);
    const set = await json(viewer.token, `/api/peers/sets/${id}`);
    const expected = bruteForceNearest('RT07', [2, 1], 4, 'trust_type');
    expect(set.members.map((one: { code: string }) => one.code).sort()).toEqual([...expected].sort());
    expect(set.definition).toMatchObject({ method: 'nearest-neighbours', of: 'RT07', k: 4, attributes: [{ name: 'beds', weight: 2 }, { name: 'deprivation_decile', weight: 1 }], within: { attribute: 'trust_type' } });
    const api = await json(viewer.token, '/api/peers/nearest?of=RT07&k=4&attributes=beds,deprivation_decile&weights=2,1&within=trust_type');
    expect(api.peers.map((one: { code: string }) => one.code)).toEqual(expected);
  });

  it('saves a hand-picked set of one member or several, refuses a bad code back on the page, and deletes from a form (analysts only)', async () => {
    const one = await form(analyst.token, '/api/peers/sets', [['name', 'Just RT02'], ['members', 'RT02']], '/peers');
    const oneId = Number(/set=(\d+)/.exec(one.headers.get('location') ?? '')?.[1]);
    expect((await json(viewer.token, `/api/peers/sets/${oneId}`)).members.map((m: { code: string }) => m.code)).toEqual(['RT02']);
    const several = await form(analyst.token, '/api/peers/sets', [['name', 'Three'], ['members', 'RT03'], ['members', 'RT01'], ['members', 'RT09']], '/peers');
    const severalId = Number(/set=(\d+)/.exec(several.headers.get('location') ?? '')?.[1]);
    expect((await json(viewer.token, `/api/peers/sets/${severalId}`)).members.map((m: { code: string }) => m.code)).toEqual(['RT01', 'RT03', 'RT09']);
    const unknown = await form(analyst.token, '/api/peers/sets', [['name', 'Bad'], ['members', 'NOPE1']], '/peers?pick=NOPE1');
    expect(unknown.headers.get('location')).toMatch(/^\/peers\?pick=NOPE1&error=\w+$/);
    const nameless = await form(analyst.token, '/api/peers/sets', [['members', 'RT01']], '/peers');
    expect(nameless.headers.get('location')).toBe('/peers?error=invalid_parameter');
    expect((await form(viewer.token, `/api/peers/sets/${oneId}/delete`, [['returnTo', '/peers']], '/peers')).headers.get('location')).toBe('/peers?error=forbidden');
    const deleted = await form(analyst.token, `/api/peers/sets/${oneId}/delete`, [['returnTo', '/peers']], '/peers');
    expect([deleted.status, deleted.headers.get('location')]).toEqual([303, '/peers?saved=1']);
    expect(((await json(viewer.token, '/api/peers/sets')).sets as { id: number }[]).map((set) => set.id)).not.toContain(oneId);
    const audit = await getDatabase().db.select({ action: schema.auditEvents.action }).from(schema.auditEvents).where(eq(schema.auditEvents.action, 'peer_set_deleted'));
    expect(audit).toHaveLength(1);
    // A script still deletes with DELETE and gets JSON.
    const scripted = await app().request(`/api/peers/sets/${severalId}`, { method: 'DELETE', headers: { authorization: `Bearer ${analyst.token}` } });
    expect(await scripted.json()).toEqual({ id: severalId, deleted: true });
  });
});
