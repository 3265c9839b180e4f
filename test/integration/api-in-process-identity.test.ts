import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { sessionCookieName } from '../../api/auth/sessions';
import { createSession } from '../../api/auth/sessions.queries';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { describeDemoApi } from '../support/demo-api';

/**
 * Exports and board packs ask the API's own routes for their numbers in process. Those requests must act as
 * the caller, however they came (a browser's session cookie or a script's token): a signed-in member of a
 * restricted network gets its exports and packs, and anyone else gets the 404 of an unknown code.
 */
const demo = generateDemoData();
const restricted = 'KB-CVD-SCN';
const open = 'KB-CANCER';
const period = encodeURIComponent(demo.periods.at(-1)!.label);

const downloads = (network: string) => [
  `/api/exports/funnel?format=csv&indicator=VA-SHMI&network=${network}`,
  `/api/exports/tartan?format=svg&network=${network}`,
  `/api/packs?network=${network}&period=${period}&indicators=VA-SHMI&format=pptx`,
];

describeDemoApi('exports and packs act as their caller', ({ app, database }) => {
  const cookie: Record<'member' | 'outsider', string> = {} as never;
  let memberToken: string;

  beforeAll(async () => {
    const { db } = database();
    const [network] = await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, restricted)).returning();
    const [member, outsider] = await db
      .insert(schema.users)
      .values([
        { subject: 'in-process-member', role: 'viewer' },
        { subject: 'in-process-outsider', role: 'viewer' },
      ])
      .returning();
    await db.insert(schema.userNetworks).values({ userId: member.id, networkId: network.id });
    cookie.member = `${sessionCookieName}=${(await createSession(db, member.id)).secret}`;
    cookie.outsider = `${sessionCookieName}=${(await createSession(db, outsider.id)).secret}`;
    memberToken = (await createApiToken(db, { userId: member.id, scopes: ['read'], days: 1 })).token;
  });

  const withCookie = (value: string) => ({ headers: { cookie: value } });

  // Packs take seconds each, and more on a busy machine.
  it('gives a signed-in browser its exports and packs, in local and in required mode', { timeout: 180_000 }, async () => {
    const required = createApp({ db: database().db, databaseKind: database().kind, config: { auth: 'required' } });
    for (const [api, paths] of [
      [app(), [...downloads(open), ...downloads(restricted)]],
      [required, [downloads(open)[0], ...downloads(restricted)]],
    ] as const) {
      expect((await api.request('/api/auth/me', withCookie(cookie.member))).status).toBe(200);
      for (const path of paths) {
        const response = await api.request(path, withCookie(cookie.member));
        expect(response.status, `${path}: ${await response.clone().text()}`).toBe(200);
        expect((await response.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
      }
    }
  });

  it('draws the restricted network’s own numbers for its member', async () => {
    const csv = await (await app().request(downloads(restricted)[0], withCookie(cookie.member))).text();
    const json = await (await app().request(`/api/funnel?indicator=VA-SHMI&network=${restricted}`, withCookie(cookie.member))).json();
    const members = json.providers.filter((provider: { inNetwork: boolean }) => provider.inNetwork).map((provider: { code: string }) => provider.code);
    expect(members.length).toBeGreaterThan(0);
    for (const code of members) expect(csv).toMatch(new RegExp(`\r\n${code},[^\r]*,true,`));
  });

  it('gives a token the same, and hides the restricted network from the anonymous, an outsider and a forged cookie', { timeout: 120_000 }, async () => {
    for (const path of downloads(restricted)) {
      expect((await app().request(path, { headers: { authorization: `Bearer ${memberToken}` } })).status, path).toBe(200);
      for (const init of [{}, withCookie(cookie.outsider), withCookie(`${sessionCookieName}=vas_forged`)]) {
        const response = await app().request(path, init);
        expect(response.status, path).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: 'not_found', parameter: 'network' } });
      }
    }
  });

  it('still refuses an anonymous export in required mode, and a bad token anywhere', async () => {
    const required = createApp({ db: database().db, databaseKind: database().kind, config: { auth: 'required' } });
    expect((await required.request(downloads(open)[0])).status).toBe(401);
    expect((await app().request(downloads(open)[2], { headers: { authorization: 'Bearer va_unknown' } })).status).toBe(401);
  });
});
