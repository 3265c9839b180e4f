import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { describeDemoApi } from '../support/demo-api';
import { stackTracePattern } from '../support/raw-observations';

/**
 * Restricted networks: the demo marks none, so this suite restricts one and asks every route that names or
 * lists networks as the anonymous local viewer, a member, a non-member and an admin. A hidden network must
 * answer exactly as an unknown one, or its code would leak that it exists.
 */
const demo = generateDemoData();
const hidden = 'KB-CVD-SCN';
const indicator = 'VA-SHMI';
const member = demo.memberships.find((row) => row.network_code === hidden && row.valid_to === null)!.organisation_code;

const networkRoutes = (network: string) => [
  `/api/networks/${network}`,
  `/api/overview?network=${network}`,
  `/api/variation?network=${network}`,
  `/api/funnel?indicator=${indicator}&network=${network}`,
  `/api/trends/network-spc?indicator=${indicator}&network=${network}`,
  `/api/measures/network?indicator=${indicator}&network=${network}`,
  `/api/indicators?network=${network}`,
  `/api/organisations?network=${network}`,
  `/api/exports/funnel?format=csv&indicator=${indicator}&network=${network}`,
  `/api/exports/tartan?format=csv&network=${network}`,
  `/api/packs?network=${network}&period=${encodeURIComponent(demo.periods.at(-1)!.label)}&indicators=${indicator}&format=pdf`,
];

describeDemoApi('restricted networks', ({ app, database }) => {
  const tokens: Record<'member' | 'outsider' | 'admin' | 'revoked' | 'expired' | 'readOnly', string> = {} as never;

  beforeAll(async () => {
    const { db } = database();
    const [network] = await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, hidden)).returning();
    const people = await db
      .insert(schema.users)
      .values([
        { subject: 'member', role: 'viewer' },
        { subject: 'outsider', role: 'analyst' },
        { subject: 'admin', role: 'admin' },
      ])
      .returning();
    const id = (subject: string) => people.find((user) => user.subject === subject)!.id;
    await db.insert(schema.userNetworks).values({ userId: id('member'), networkId: network.id });
    tokens.member = (await createApiToken(db, { userId: id('member'), scopes: ['read'], days: 1 })).token;
    tokens.outsider = (await createApiToken(db, { userId: id('outsider'), scopes: ['read', 'write'], days: 1 })).token;
    tokens.admin = (await createApiToken(db, { userId: id('admin'), scopes: ['read', 'write'], days: 1 })).token;
    tokens.readOnly = (await createApiToken(db, { userId: id('admin'), scopes: ['read'], days: 1 })).token;
    const revoked = await createApiToken(db, { userId: id('admin'), scopes: ['read'], days: 1 });
    await db.update(schema.apiTokens).set({ revokedAt: new Date() }).where(eq(schema.apiTokens.id, revoked.id));
    tokens.revoked = revoked.token;
    const expired = await createApiToken(db, { userId: id('admin'), scopes: ['read'], days: 1 });
    await db.update(schema.apiTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.apiTokens.id, expired.id));
    tokens.expired = expired.token;
  });

  const as = (token: string | undefined, path: string, init: RequestInit = {}) =>
    app().request(path, { ...init, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

  async function expectHidden(appToken: string | undefined, path: string) {
    const response = await as(appToken, path);
    const text = await response.text();
    expect(response.status, path).toBe(404);
    expect(text).not.toMatch(stackTracePattern);
    // The same answer, word for word, as for a code that was never loaded.
    const unknown = await as(appToken, path.replace(hidden, 'NO-SUCH-NETWORK'));
    expect(text.replace(hidden, 'NO-SUCH-NETWORK'), path).toBe(await unknown.text());
  }

  const listed = async (token: string | undefined, path: string, pick: (json: any) => { code: string }[]) =>
    pick(await (await as(token, path)).json()).map((network) => network.code);

  it('hides the network from the anonymous local viewer and a non-member, on every route that names it', async () => {
    for (const path of networkRoutes(hidden)) {
      await expectHidden(undefined, path);
      await expectHidden(tokens.outsider, path);
    }
  }, 120_000);

  it('leaves it out of every list for them, and lists it for a member and an admin', async () => {
    for (const token of [undefined, tokens.outsider]) {
      expect(await listed(token, '/api/networks', (json) => json.networks)).not.toContain(hidden);
      expect(await listed(token, '/api/variation/networks', (json) => json.networks)).not.toContain(hidden);
      expect(await listed(token, `/api/organisations/${member}`, (json) => json.memberships)).not.toContain(hidden);
    }
    for (const token of [tokens.member, tokens.admin]) {
      expect(await listed(token, '/api/networks', (json) => json.networks)).toContain(hidden);
      expect(await listed(token, '/api/variation/networks', (json) => json.networks)).toContain(hidden);
      expect(await listed(token, `/api/organisations/${member}`, (json) => json.memberships)).toContain(hidden);
    }
  }, 120_000);

  it('answers a member and an admin on every route, the in-process exports and pack included', async () => {
    for (const token of [tokens.member, tokens.admin]) {
      for (const path of networkRoutes(hidden)) expect((await as(token, path)).status, path).toBe(200);
    }
  }, 300_000);

  it('refuses an unknown, revoked or expired token with a 401, never falling back to anonymous', async () => {
    for (const token of ['va_not-a-token', tokens.revoked, tokens.expired]) {
      const response = await as(token, '/api/networks');
      expect(response.status).toBe(401);
      expect((await response.json()).error.code).toBe('invalid_token');
    }
  });

  it('records when a token was last used', async () => {
    await as(tokens.member, '/api/networks');
    const rows = await database().db.select({ lastUsedAt: schema.apiTokens.lastUsedAt }).from(schema.apiTokens);
    expect(rows.some((row) => row.lastUsedAt !== null)).toBe(true);
  });
});

