import { Hono } from 'hono';
import { expect, it } from 'vitest';
import { defaultApiConfig, type AppEnv } from '../../api/context';
import { handleError } from '../../api/errors';
import { clientAddress, rateLimit } from '../../api/rate-limit';
import { describeDatabase } from '../support/database';

describeDatabase('rateLimit', (database) => {
  function limitedApp(limit: number, windowMs: number, clock: { time: number }) {
    const app = new Hono<AppEnv>()
      .use((c, next) => (c.set('deps', { db: database().db, config: defaultApiConfig } as AppEnv['Variables']['deps']), next()))
      .use(rateLimit({ limit, windowMs, key: clientAddress, now: () => clock.time }))
      .get('/', (c) => c.text('ok'));
    app.onError(handleError);
    return app;
  }

  const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });

  it('allows the limit in a window, then answers 429 with Retry-After and a JSON error', async () => {
    const clock = { time: 60_000 };
    const app = limitedApp(3, 60_000, clock);
    for (let i = 0; i < 3; i++) expect((await app.request('/', from('10.0.0.1'))).status).toBe(200);
    clock.time += 15_000;
    const refused = await app.request('/', from('10.0.0.1'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('45');
    expect(await refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('counts each client apart', async () => {
    const clock = { time: 0 };
    const app = limitedApp(1, 1000, clock);
    expect((await app.request('/', from('10.0.1.1'))).status).toBe(200);
    expect((await app.request('/', from('10.0.1.2'))).status).toBe(200);
    expect((await app.request('/', from('10.0.1.1'))).status).toBe(429);
  });

  it('weighs the previous window by how much of it is still in the last windowMs', async () => {
    const clock = { time: 0 };
    const app = limitedApp(4, 1000, clock);
    for (let i = 0; i < 4; i++) expect((await app.request('/', from('10.0.3.1'))).status).toBe(200);
    // A quarter into the next window, 3 of the 4 earlier requests still count: one more is allowed.
    clock.time = 1250;
    expect((await app.request('/', from('10.0.3.1'))).status).toBe(200);
    expect((await app.request('/', from('10.0.3.1'))).status).toBe(429);
    // Two windows on, nothing earlier counts.
    clock.time = 3000;
    for (let i = 0; i < 4; i++) expect((await app.request('/', from('10.0.3.1'))).status).toBe(200);
  });

  it('shares one count between replicas on the same database, as behind a load balancer', async () => {
    const clock = { time: 10_000 };
    const replicas = [limitedApp(4, 1000, clock), limitedApp(4, 1000, clock)];
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await replicas[i % 2].request('/', from('10.0.2.1'))).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });
});
