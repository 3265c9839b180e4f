import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { sessionCookieName, sessionIdleMs } from '../../api/auth/sessions';
import { createSession, endSession } from '../../api/auth/sessions.queries';
import { hashToken } from '../../api/auth/tokens';
import { schema } from '../../db';
import { describeDatabase } from '../support/database';

/**
 * A browser's session cookie is a credential like a token: it carries its user's role, is stored only as a
 * hash, and stops working when it expires, idles out or is ended. An ended session falls back to what a
 * request without one gets, and its cookie is cleared.
 */
describeDatabase('sessions', (getDatabase) => {
  let userId: number;
  const app = (auth: 'local' | 'required' = 'local') => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind, config: { auth } });
  const withCookie = (secret: string) => ({ headers: { cookie: `${sessionCookieName}=${secret}` } });

  beforeAll(async () => {
    const [user] = await getDatabase().db.insert(schema.users).values({ subject: 'analyst@example.nhs.uk', role: 'analyst' }).returning();
    userId = user.id;
  });

  it('signs the request in as the session\'s user, in local and in required mode', async () => {
    const { secret } = await createSession(getDatabase().db, userId);
    for (const mode of ['local', 'required'] as const) {
      const response = await app(mode).request('/api/tokens', withCookie(secret));
      expect(response.status, await response.clone().text()).toBe(200);
    }
    const [stored] = await getDatabase().db.select().from(schema.sessions).where(eq(schema.sessions.tokenHash, hashToken(secret)));
    expect(stored.userId).toBe(userId);
    expect(JSON.stringify(stored)).not.toContain(secret);
  });

  it('treats an expired, idle or ended session as none and clears its cookie', async () => {
    const { db } = getDatabase();
    const longAgo = new Date(Date.now() - sessionIdleMs - 60_000);
    const idle = await createSession(db, userId, longAgo);
    const expired = await createSession(db, userId);
    await db.update(schema.sessions).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(schema.sessions.id, expired.id));
    const ended = await createSession(db, userId);
    expect(await endSession(db, ended.secret)).toEqual({ userId });
    for (const { secret } of [idle, expired, ended, { secret: 'vas_forged' }]) {
      const local = await app('local').request('/api/tokens', withCookie(secret));
      expect(local.status).toBe(401);
      expect(local.headers.get('set-cookie')).toMatch(new RegExp(`^${sessionCookieName}=;.*Max-Age=0`));
      expect((await app('required').request('/api/indicators', withCookie(secret))).status).toBe(401);
    }
  });
});
