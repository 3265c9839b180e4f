import { eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApp } from '../../api/app';
import { schema } from '../../db';
import { describeDemoApi } from '../support/demo-api';
import { rawObservations, stackTracePattern } from '../support/raw-observations';
import { bearer, roleTokens, type Role } from '../support/role-tokens';

const indicator = 'VA-CDIFF-HO';
const organisation = 'RZW';
const network = 'KB-CVD-SCN';
const period = '2025/26 Q2';

/** Every route that takes `suppression`, and where its answer reports the threshold applied (JSON routes only). */
const routes: { path: string; threshold?: (body: any) => unknown }[] = [
  { path: `/api/funnel?indicator=${indicator}`, threshold: (body) => body.method.suppressionThreshold },
  { path: `/api/funnel?indicator=${indicator}&format=csv` },
  { path: `/api/measures?indicator=${indicator}&organisation=${organisation}`, threshold: (body) => body.suppressionThreshold },
  { path: `/api/measures/network?indicator=${indicator}&network=${network}`, threshold: (body) => body.suppressionThreshold },
  { path: `/api/trends/spc?indicator=${indicator}&organisation=${organisation}`, threshold: (body) => body.settings.suppressionThreshold },
  { path: `/api/trends/network-spc?indicator=${indicator}&network=${network}`, threshold: (body) => body.settings.suppressionThreshold },
  { path: `/api/trends/funnel-position?indicator=${indicator}&organisation=${organisation}`, threshold: (body) => body.method.suppressionThreshold },
  { path: `/api/overview?network=${network}`, threshold: (body) => body.method.suppressionThreshold },
  { path: `/api/profile/${organisation}`, threshold: (body) => body.method.suppressionThreshold },
  { path: `/api/variation?network=${network}`, threshold: (body) => body.method.suppressionThreshold },
  { path: `/api/exports/funnel?indicator=${indicator}&format=csv` },
  { path: `/api/exports/caterpillar?indicator=${indicator}&format=csv` },
  { path: `/api/exports/spc?indicator=${indicator}&organisation=${organisation}&format=csv` },
  { path: `/api/exports/tartan?network=${network}&format=csv` },
  { path: `/api/exports/spine?organisation=${organisation}&format=csv` },
  { path: `/api/packs?network=${network}&period=${encodeURIComponent(period)}&indicators=${indicator}&format=pptx` },
];

describeDemoApi('suppression floor', ({ app, database }) => {
  let tokens: Record<Role, string>;
  beforeAll(async () => {
    tokens = await roleTokens(database().db);
  });

  const as = (appOf: () => ReturnType<typeof createApp>, token: string | undefined, path: string) => appOf().request(path, { headers: bearer(token) });
  const withSuppression = (path: string, threshold: number, reason?: string) =>
    `${path}${path.includes('?') ? '&' : '?'}suppression=${threshold}${reason === undefined ? '' : `&suppressionReason=${encodeURIComponent(reason)}`}`;

  async function expectRefused(response: Response, status: number, code: string, parameter: string, label: string) {
    const text = await response.text();
    expect(response.status, `${label}: ${text}`).toBe(status);
    expect(JSON.parse(text).error, label).toMatchObject({ code, parameter });
    expect(text).not.toMatch(stackTracePattern);
  }

  /** The suppression_lowered audit rows whose reason is this one. */
  async function loweredRows(reason: string) {
    const rows = await database().db.select().from(schema.auditEvents).where(eq(schema.auditEvents.action, 'suppression_lowered'));
    return rows.filter((row) => (row.details as { reason?: string }).reason === reason);
  }

  it.each(routes.map((route) => [route.path, route] as const))('%s: below the floor is refused to anonymous callers and viewers', async (_, route) => {
    for (const token of [undefined, tokens.viewer]) {
      for (const threshold of [0, 4]) {
        const path = withSuppression(route.path, threshold);
        await expectRefused(await as(app, token, path), 403, 'suppression_below_floor', 'suppression', `${token === undefined ? 'anonymous' : 'viewer'} ${path}`);
      }
    }
  });

  it.each(routes.map((route) => [route.path, route] as const))('%s: at or above the floor anyone may raise it, and the answer applies it', async (_, route) => {
    for (const token of [undefined, tokens.viewer]) {
      const response = await as(app, token, withSuppression(route.path, 7));
      expect(response.status, route.path).toBe(200);
      if (route.threshold) expect(route.threshold(await response.json())).toBe(7);
    }
  });

  it.each(routes.map((route) => [route.path, route] as const))('%s: an analyst lowers it only with a reason, which is audited once', async (_, route) => {
    await expectRefused(await as(app, tokens.analyst, withSuppression(route.path, 4)), 400, 'invalid_parameter', 'suppressionReason', route.path);
    await expectRefused(await as(app, tokens.analyst, withSuppression(route.path, 4, 'no')), 400, 'invalid_parameter', 'suppressionReason', route.path);
    const reason = `checking ${route.path} against the source return`;
    for (let repeat = 0; repeat < 2; repeat++) {
      const response = await as(app, tokens.analyst, withSuppression(route.path, 4, reason));
      expect(response.status, route.path).toBe(200);
      if (route.threshold) expect(route.threshold(await response.json())).toBe(4);
    }
    const audited = await loweredRows(reason);
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({ actor: 'analyst@example.nhs.uk', outcome: 'success', details: { threshold: 4, floor: 5, reason } });
  });

  it("unsuppresses the demo's small RZW VA-CDIFF-HO cell for an analyst, and the admin's audit trail names who, what and why", async () => {
    const [cell] = await rawObservations(database().db, indicator, { organisation, period });
    expect(cell.numerator).toBeGreaterThan(0);
    expect(cell.numerator).toBeLessThan(5);
    const path = `/api/measures?indicator=${indicator}&organisation=${organisation}&period=${encodeURIComponent(period)}`;
    expect(await (await as(app, undefined, path)).json()).toMatchObject({ suppressionThreshold: 5, suppressed: true, numerator: null });
    const reason = 'reconciling the C. difficile return with the trust';
    const shown = await (await as(app, tokens.analyst, withSuppression(path, 0, reason))).json();
    expect(shown).toMatchObject({ suppressionThreshold: 0, suppressed: false, numerator: cell.numerator, denominator: cell.denominator });

    const trail = await as(app, tokens.admin, '/api/audit?action=suppression_lowered&limit=500');
    expect(trail.status).toBe(200);
    const events = (await trail.json()).events.filter((event: { details: { reason: string } }) => event.details.reason === reason);
    expect(events).toEqual([
      expect.objectContaining({ actor: 'analyst@example.nhs.uk', action: 'suppression_lowered', outcome: 'success', details: expect.objectContaining({ threshold: 0, floor: 5, reason, path: '/api/measures' }) }),
    ]);
  });

  it('refuses a threshold below a configured floor of 10 to a viewer, and reports that floor as the default', async () => {
    const strict = () => createApp({ db: database().db, databaseKind: database().kind, config: { suppressionFloor: 10 } });
    const path = `/api/measures?indicator=${indicator}&organisation=${organisation}`;
    await expectRefused(await as(strict, tokens.viewer, withSuppression(path, 7)), 403, 'suppression_below_floor', 'suppression', path);
    expect(await (await as(strict, tokens.viewer, path)).json()).toMatchObject({ suppressionThreshold: 10 });
    expect(await (await as(strict, tokens.viewer, withSuppression(path, 10))).json()).toMatchObject({ suppressionThreshold: 10 });
  });

  it('refuses even an admin, with a reason, when no role may lower it, and audits nothing', async () => {
    const closed = () => createApp({ db: database().db, databaseKind: database().kind, config: { suppressionLoweringRoles: [] } });
    const reason = 'an admin trying a closed deployment';
    const path = withSuppression(`/api/funnel?indicator=${indicator}`, 4, reason);
    await expectRefused(await as(closed, tokens.admin, path), 403, 'suppression_below_floor', 'suppression', path);
    expect(await loweredRows(reason)).toEqual([]);
    // The same request is allowed where admins may lower it: the refusal is the configuration's.
    expect((await as(app, tokens.admin, path)).status).toBe(200);
    expect(await loweredRows(reason)).toHaveLength(1);
  });
});
