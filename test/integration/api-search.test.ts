import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { bearer } from '../support/role-tokens';

const demo = generateDemoData();
const restricted = 'KB-CVD-SCN';
const restrictedName = demo.networks.find((network) => network.code === restricted)!.name;

type Found = { code: string; name: string };
type Answer = { query: string; providers: Found[]; networks: Found[]; indicators: Found[] };

describeDemoApi('search (GET /api/search)', ({ app, database }) => {
  const tokens = {} as Record<'member' | 'outsider', string>;
  beforeAll(async () => {
    const { db } = database();
    const [network] = await db.update(schema.networks).set({ restricted: true }).where(eq(schema.networks.code, restricted)).returning();
    const [member, outsider] = await db.insert(schema.users).values([{ subject: 'search-member', role: 'viewer' }, { subject: 'search-outsider', role: 'analyst' }]).returning();
    await db.insert(schema.userNetworks).values({ userId: member.id, networkId: network.id });
    tokens.member = (await createApiToken(db, { userId: member.id, scopes: ['read'], days: 1 })).token;
    tokens.outsider = (await createApiToken(db, { userId: outsider.id, scopes: ['read'], days: 1 })).token;
  });
  const search = async (q: string, token?: string) => {
    const response = await app().request(`/api/search?q=${encodeURIComponent(q)}`, { headers: bearer(token) });
    expect(response.status).toBe(200);
    return (await response.json()) as Answer;
  };

  it('finds a provider by its code, whatever the case, the exact code first', async () => {
    const provider = demo.organisations.find((organisation) => organisation.kind === 'trust')!;
    const answer = await search(provider.code.toLowerCase());
    expect(answer.providers[0]).toMatchObject({ code: provider.code, name: provider.name });
  });

  it('finds providers by part of a name, networks and indicators by name or code', async () => {
    const provider = demo.organisations.find((organisation) => organisation.kind === 'trust')!;
    const word = provider.name.split(' ')[0];
    expect((await search(word)).providers.map((found) => found.code)).toContain(provider.code);
    expect((await search('cancer alliance')).networks.map((found) => found.code)).toContain('KB-CANCER');
    expect((await search('va-shmi')).indicators[0]).toMatchObject({ code: 'VA-SHMI' });
  });

  it('treats LIKE wildcards as text: "%" finds nothing rather than everything', async () => {
    expect(await search('%')).toMatchObject({ providers: [], networks: [], indicators: [] });
  });

  it('hides a restricted network from the anonymous viewer and a non-member, and shows it to a member', async () => {
    for (const token of [undefined, tokens.outsider]) {
      for (const q of [restricted, restrictedName]) expect((await search(q, token)).networks.map((found) => found.code)).not.toContain(restricted);
    }
    expect((await search(restricted, tokens.member)).networks.map((found) => found.code)).toContain(restricted);
  });

  it('refuses an empty or overlong query with a 400 naming q', async () => {
    await expectApiError(app(), '/api/search', 400, 'q', 'invalid_parameter');
    await expectApiError(app(), '/api/search?q=%20%20', 400, 'q', 'invalid_parameter');
    await expectApiError(app(), `/api/search?q=${'x'.repeat(101)}`, 400, 'q', 'invalid_parameter');
    await expectApiError(app(), '/api/search?q=a&limit=0', 400, 'limit', 'invalid_parameter');
    expect((await getJson(app(), '/api/search?q=a&limit=2')).providers.length).toBeLessThanOrEqual(2);
  });
});
