import { testClient } from 'hono/testing';
import { expect, expectTypeOf, it } from 'vitest';
import { describeDatabase } from '../test/support/database';
import { createApp } from './app';

describeDatabase('api app', (getDatabase) => {
  const app = () => createApp({ db: getDatabase().db, databaseKind: getDatabase().kind });

  it('answers /api/health to anyone not signed in with its status alone: no database kind, no counts that would reveal restricted networks', async () => {
    const response = await app().request('/api/health');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('types the health route for the hc client', async () => {
    const client = testClient(app());
    const response = await client.api.health.$get();
    const body = await response.json();
    expectTypeOf(body.status).toEqualTypeOf<'ok'>();
    expect(body.status).toBe('ok');
  });

  it('answers an unknown route with 404 JSON and no stack trace', async () => {
    const response = await app().request('/api/no-such-resource');
    expect(response.status).toBe(404);
    const text = await response.text();
    expect(JSON.parse(text)).toEqual({ error: { code: 'not_found', message: 'No route for GET /api/no-such-resource' } });
    expect(text).not.toMatch(/at .*\.ts:\d+/);
  });
});
