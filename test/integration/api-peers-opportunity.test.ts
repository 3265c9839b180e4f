import { and, eq } from 'drizzle-orm';
import { beforeAll, expect, it } from 'vitest';
import { createApiToken } from '../../api/auth/tokens.queries';
import { schema } from '../../db';
import { demoAttributeRows } from '../../etl/demo/demo-attributes';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';
import { bearer, type Role } from '../support/role-tokens';
import { parseCsvRecords } from '../support/shared';
import { withheldProportion } from '../support/withheld-counts';

/** The demo trusts' numeric attributes, read from the generator rather than from the database or the API. */
function trustAttributes(names: string[]) {
  const rows = demoAttributeRows();
  const trusts = new Set(rows.filter((row) => row.attribute === 'trust_type').map((row) => row.organisation_code));
  return [...trusts].map((code) => ({ code, values: names.map((name) => Number(rows.find((row) => row.organisation_code === code && row.attribute === name)!.value)) }));
}

/** Nearest neighbours by brute force: every trust's weighted distance in sample-sd units, sorted. */
function bruteNearest(of: string, names: string[], weights: number[], k: number) {
  const trusts = trustAttributes(names);
  const stats = names.map((_, a) => {
    const column = trusts.map((t) => t.values[a]);
    const mean = sum(column) / column.length;
    return { mean, sd: Math.sqrt(sum(column.map((x) => (x - mean) ** 2)) / (column.length - 1)) };
  });
  const total = sum(weights);
  const target = trusts.find((t) => t.code === of)!;
  return trusts
    .filter((t) => t.code !== of)
    .map((t) => ({ code: t.code, distance: Math.sqrt(sum(names.map((_, a) => (weights[a] / total) * ((t.values[a] - target.values[a]) / stats[a].sd) ** 2))) }))
    .sort((a, b) => a.distance - b.distance || a.code.localeCompare(b.code))
    .slice(0, k);
}

/** DerSimonian–Laird τ² and the random-effects mean, written out from the textbook formulas. */
function dersimonianLaird(y: number[], s: number[]) {
  const w = s.map((x) => 1 / x ** 2);
  const fixed = sum(y.map((v, i) => w[i] * v)) / sum(w);
  const q = sum(y.map((v, i) => w[i] * (v - fixed) ** 2));
  const tau2 = Math.max(0, (q - (y.length - 1)) / (sum(w) - sum(w.map((x) => x ** 2)) / sum(w)));
  const wStar = s.map((x) => 1 / (x ** 2 + tau2));
  return { tau2, theta: sum(y.map((v, i) => wStar[i] * v)) / sum(wStar) };
}

describeDemoApi('API: peer groups and opportunity sizing', ({ app, database }) => {
  let tokens: Record<Role, string>;
  const as = (role: Role | undefined, path: string, init: RequestInit = {}) =>
    app().request(path, { ...init, headers: { ...bearer(role && tokens[role]), 'content-type': 'application/json', ...(init.headers as Record<string, string>) } });

  beforeAll(async () => {
    const { db } = database();
    const people = await db.insert(schema.users).values((['viewer', 'analyst', 'admin'] as const).map((role) => ({ subject: `${role}@example.nhs.uk`, role }))).returning();
    tokens = {} as Record<Role, string>;
    for (const person of people) tokens[person.role as Role] = (await createApiToken(db, { userId: person.id, scopes: ['read', 'write'], days: 1 })).token;
  });

  it('lists the attributes the demo loads, typed', async () => {
    const { attributes } = await getJson(app(), '/api/peers/attributes');
    expect(attributes.map((a: { name: string; type: string }) => `${a.name}:${a.type}`)).toEqual([
      'beds:numeric',
      'case_mix_index:numeric',
      'deprivation_decile:numeric',
      'list_size:numeric',
      'trust_type:categorical',
    ]);
    expect(attributes.find((a: { name: string }) => a.name === 'trust_type').categories).toEqual(['district_general', 'specialist', 'teaching']);
  });

  it('finds the nearest neighbours a brute-force distance computation finds, with the working shown', async () => {
    const names = ['beds', 'case_mix_index', 'deprivation_decile'];
    const body = await getJson(app(), `/api/peers/nearest?of=RZG&k=10&attributes=${names.join(',')}&weights=2,1,1`);
    const expected = bruteNearest('RZG', names, [2, 1, 1], 10);
    expect(body.peers.map((p: { code: string }) => p.code)).toEqual(expected.map((p) => p.code));
    body.peers.forEach((p: { distance: number; contributions: Record<string, number> }, i: number) => {
      expect(p.distance).toBeCloseTo(expected[i].distance, 9);
      expect(Math.sqrt(sum(Object.values(p.contributions)))).toBeCloseTo(p.distance, 12);
    });
    expect(body.attributes.map((a: { name: string; weight: number; share: number }) => [a.name, a.weight, a.share])).toEqual([
      ['beds', 2, 0.5],
      ['case_mix_index', 1, 0.25],
      ['deprivation_decile', 1, 0.25],
    ]);
    expect(body.candidates).toBe(40);
    // Within one category only: RZG is a district general hospital, and so is each of its peers.
    const within = await getJson(app(), '/api/peers/nearest?of=RZG&k=5&within=trust_type');
    const types = new Map(demoAttributeRows().filter((row) => row.attribute === 'trust_type').map((row) => [row.organisation_code, row.value]));
    expect(within.peers.map((p: { code: string }) => types.get(p.code))).toEqual(Array(5).fill('district_general'));
    expect(within.within).toEqual({ attribute: 'trust_type', category: 'district_general' });
  });

  it('answers bad peer parameters with a 4xx naming them', async () => {
    await expectApiError(app(), '/api/peers/nearest?of=RZG&attributes=trust_type', 400, 'attributes');
    await expectApiError(app(), '/api/peers/nearest?of=RZG&attributes=beds&weights=1,2', 400, 'weights');
    await expectApiError(app(), '/api/peers/nearest?of=RZG&attributes=nope', 404, 'attributes');
    await expectApiError(app(), '/api/peers/nearest?of=NOPE', 404, 'organisation');
    await expectApiError(app(), '/api/peers/nearest?of=RZG&k=0', 400, 'k');
    await expectApiError(app(), '/api/funnel?indicator=VA-SHMI&benchmark=peers', 400, 'peers');
    await expectApiError(app(), '/api/funnel?indicator=VA-SHMI&benchmark=peers&peers=999', 404, 'peers');
  });

  it('keeps peer sets for analysts only, audited', async () => {
    const set = { name: 'Large acute trusts', members: ['RZA', 'RZB', 'RZC', 'RZD'] };
    expect((await as('viewer', '/api/peers/sets', { method: 'POST', body: JSON.stringify(set) })).status).toBe(403);
    expect((await as(undefined, '/api/peers/sets', { method: 'POST', body: JSON.stringify(set) })).status).toBe(401);
    expect((await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify({ ...set, members: ['RZA', 'NOPE'] }) })).status).toBe(404);
    const created = await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify(set) });
    expect(created.status).toBe(201);
    const saved = await created.json();
    expect(saved.members.map((m: { code: string }) => m.code)).toEqual(set.members);
    expect((await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify(set) })).status).toBe(409);
    const nearest = await (await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify({ name: 'Like RZG', nearest: { of: 'RZG', k: 5 } }) })).json();
    expect(nearest.definition).toMatchObject({ method: 'nearest-neighbours', of: 'RZG', k: 5 });
    expect(nearest.members).toHaveLength(5);
    const listed = await getJson(app(), '/api/peers/sets');
    expect(listed.sets.map((s: { name: string; members: number }) => [s.name, s.members])).toEqual([
      ['Large acute trusts', 4],
      ['Like RZG', 5],
    ]);
    expect((await as('viewer', `/api/peers/sets/${nearest.id}`, { method: 'DELETE' })).status).toBe(403);
    expect((await as('analyst', `/api/peers/sets/${nearest.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await as('analyst', `/api/peers/sets/${nearest.id}`, { method: 'DELETE' })).status).toBe(404);
    const audit = await database().db.select().from(schema.auditEvents).where(and(eq(schema.auditEvents.actor, 'analyst@example.nhs.uk')));
    expect(audit.map((event) => event.action).filter((action) => action.startsWith('peer_set'))).toEqual(['peer_set_created', 'peer_set_created', 'peer_set_deleted']);
  });

  it('draws a funnel of a peer set around its published members’ pooled value, overdispersion over the set', async () => {
    const members = ['RZG', 'RZH', 'RZI', 'RZJ', 'RZK', 'RZL', 'RZM', 'RZN'];
    const saved = await (await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify({ name: 'Mid-size acute', members }) })).json();
    const all = await getJson(app(), '/api/funnel?indicator=VA-READM30');
    const period = all.period.label;
    const body = await getJson(app(), `/api/funnel?indicator=VA-READM30&period=${period}&benchmark=peers&peers=${saved.id}`);
    const raw = (await rawObservations(database().db, 'VA-READM30', { period })).filter((row) => members.includes(row.code));
    const published = raw.filter((row) => !withheldProportion(row));
    expect(body.method.benchmarkValue).toBeCloseTo((100 * sum(published.map((r) => r.numerator!))) / sum(published.map((r) => r.denominator!)), 9);
    expect(body.providers.map((p: { code: string }) => p.code).sort()).toEqual(raw.map((row) => row.code).sort());
    expect(body.method.peers).toMatchObject({ of: null, published: published.length, withheld: raw.length - published.length, minimum: 3, group: { kind: 'set', id: saved.id } });
    expect(body.overdispersion.phi).not.toBe(all.overdispersion.phi);
  });

  it("judges a provider against its ten nearest neighbours' pooled value, not its own", async () => {
    const body = await getJson(app(), '/api/funnel?indicator=VA-READM30&benchmark=peers&peersOf=RZG&k=10');
    const peers = body.method.peers.group.explanation.peers.map((p: { code: string }) => p.code);
    expect(peers).toEqual(bruteNearest('RZG', ['beds', 'case_mix_index', 'deprivation_decile'], [1, 1, 1], 10).map((p) => p.code));
    const raw = (await rawObservations(database().db, 'VA-READM30', { period: body.period.label })).filter((row) => peers.includes(row.code) && !withheldProportion(row));
    expect(body.method.benchmarkValue).toBeCloseTo((100 * sum(raw.map((r) => r.numerator!))) / sum(raw.map((r) => r.denominator!)), 9);
    expect(body.providers.map((p: { code: string }) => p.code)).toContain('RZG');
  });

  it('refuses a peer benchmark of fewer than three published peers', async () => {
    const saved = await (await as('analyst', '/api/peers/sets', { method: 'POST', body: JSON.stringify({ name: 'Two', members: ['RZA', 'RZB'] }) })).json();
    await expectApiError(app(), `/api/funnel?indicator=VA-READM30&benchmark=peers&peers=${saved.id}`, 422, 'peers', 'peers_too_few');
    await expectApiError(app(), `/api/opportunity?network=KB-CVD-SCN&indicator=VA-READM30&benchmark=peers&peers=${saved.id}`, 422, 'peers', 'peers_too_few');
  });

  it('sizes the opportunity as Σ of the members’ differences from the pooled value, from raw counts', async () => {
    const body = await getJson(app(), '/api/opportunity?network=KB-CANCER&indicator=VA-CANCER62&estimate=observed');
    const [sized] = body.indicators;
    const period = sized.period.label;
    const raw = await rawObservations(database().db, 'VA-CANCER62', { period });
    const published = raw.filter((row) => !withheldProportion(row));
    const pooled = sum(published.map((r) => r.numerator!)) / sum(published.map((r) => r.denominator!));
    expect(sized.benchmark.value).toBeCloseTo(100 * pooled, 9);
    const members = new Set(sized.providers.map((p: { code: string }) => p.code));
    // Higher is better: the patients who would additionally be treated within 62 days at the pooled rate.
    const expected = published.filter((r) => members.has(r.code)).map((r) => ({ code: r.code, opportunity: Math.max(0, r.denominator! * pooled - r.numerator!) }));
    expect(sized.counts).toBe('more-patients');
    for (const { code, opportunity } of expected) expect(sized.providers.find((p: { code: string }) => p.code === code).opportunity, code).toBeCloseTo(opportunity, 6);
    expect(sized.total.opportunity).toBeCloseTo(sum(expected.map((e) => e.opportunity)), 6);
    expect(sized.total.lower).toBeLessThanOrEqual(sized.total.opportunity);
    expect(sized.total.upper).toBeGreaterThanOrEqual(sized.total.opportunity);
    const ranks = sized.providers.filter((p: { rank: number | null }) => p.rank !== null);
    expect(ranks.map((p: { opportunity: number }) => p.opportunity)).toEqual([...ranks.map((p: { opportunity: number }) => p.opportunity)].sort((a, b) => b - a));
  });

  it('sizes it from shrunken estimates by default: each member’s estimate pulled towards the mean by τ²', async () => {
    const body = await getJson(app(), '/api/opportunity?network=KB-CVD-SCN&indicator=VA-READM30');
    const [sized] = body.indicators;
    const raw = await rawObservations(database().db, 'VA-READM30', { period: sized.period.label });
    const published = raw.filter((row) => !withheldProportion(row));
    const y = published.map((r) => Math.asin(Math.sqrt(r.numerator! / r.denominator!)));
    const s = published.map((r) => 1 / (2 * Math.sqrt(r.denominator!)));
    const { tau2, theta } = dersimonianLaird(y, s);
    expect(sized.shrinkageTau2).toBeCloseTo(tau2, 12);
    const pooled = sum(published.map((r) => r.numerator!)) / sum(published.map((r) => r.denominator!));
    let total = 0;
    for (const member of sized.providers.filter((p: { suppressed: boolean; opportunity: number | null }) => !p.suppressed && p.opportunity !== null)) {
      const i = published.findIndex((r) => r.code === member.code);
      const shrunken = Math.sin(theta + (tau2 / (tau2 + s[i] ** 2)) * (y[i] - theta)) ** 2;
      // Lower is better: the excess readmissions at the pooled rate.
      const excess = Math.max(0, published[i].denominator! * (shrunken - pooled));
      expect(member.estimate).toBeCloseTo(100 * shrunken, 9);
      expect(member.opportunity, member.code).toBeCloseTo(excess, 6);
      total += excess;
    }
    expect(sized.total.opportunity).toBeCloseTo(total, 6);
    expect(sized.counts).toBe('fewer-events');
    // Shrinkage never adds opportunity: each shrunken gap lies between the observed gap and the mean's.
    const observed = (await getJson(app(), '/api/opportunity?network=KB-CVD-SCN&indicator=VA-READM30&estimate=observed')).indicators[0];
    expect(sized.total.opportunity).toBeLessThan(observed.total.opportunity);
  });

  it('sizes every indicator of a network, ranked by total, and exports it as CSV with the same numbers', async () => {
    const body = await getJson(app(), '/api/opportunity?network=KB-CVD-SCN&benchmark=upper-quartile');
    const available = body.indicators.filter((i: { available: boolean }) => i.available);
    expect(available.length).toBeGreaterThan(3);
    expect(available.map((i: { total: { opportunity: number } }) => i.total.opportunity)).toEqual([...available.map((i: { total: { opportunity: number } }) => i.total.opportunity)].sort((a, b) => b - a));
    expect(body.indicators.find((i: { code: string }) => i.code === 'VA-LOS')).toMatchObject({ available: false, reason: expect.stringContaining('no counts') });
    const csv = await (await app().request('/api/opportunity?network=KB-CVD-SCN&benchmark=upper-quartile&format=csv')).text();
    const rows = parseCsvRecords(csv);
    for (const indicator of available) {
      const totalRow = rows.find((row) => row.indicator === indicator.code && row.code === 'KB-CVD-SCN')!;
      expect(Number(totalRow.opportunity)).toBeCloseTo(indicator.total.opportunity, 1);
      expect(totalRow.benchmark).toBe('upper-quartile');
    }
  });

  it('answers bad opportunity parameters with a 4xx naming them', async () => {
    await expectApiError(app(), '/api/opportunity', 400, 'network');
    await expectApiError(app(), '/api/opportunity?network=NOPE', 404, 'network');
    await expectApiError(app(), '/api/opportunity?network=KB-CVD-SCN&indicator=VA-LOS', 422, 'indicator', 'opportunity_not_available');
    await expectApiError(app(), '/api/opportunity?network=KB-CVD-SCN&benchmark=best', 400, 'benchmark');
    await expectApiError(app(), '/api/opportunity?network=KB-CVD-SCN&indicator=VA-READM30&period=1999', 404, 'period');
    await expectApiError(app(), '/api/opportunity?network=KB-CVD-SCN&benchmark=peers', 400, 'peers');
  });
});
