import { inArray } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { schema } from '../../db';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';
import { withheldProportion } from '../support/withheld-counts';

type Raw = Awaited<ReturnType<typeof rawObservations>>[number];

/** The peers' pooled proportion per period, from their raw counts, withheld cells (written out independently) left out. */
function pooledByPeriod(rows: readonly Raw[], peers: readonly string[]) {
  const byPeriod = new Map<string, { value: number | null; published: number; withheld: number }>();
  for (const period of new Set(rows.map((row) => row.period))) {
    const inPeriod = rows.filter((row) => row.period === period && peers.includes(row.code));
    const published = inPeriod.filter((row) => !withheldProportion(row));
    const value = published.length >= 3 ? (100 * sum(published.map((row) => row.numerator!))) / sum(published.map((row) => row.denominator!)) : null;
    byPeriod.set(period, { value, published: published.length, withheld: inPeriod.length - published.length });
  }
  return byPeriod;
}

/** A p-chart's limits, p̄ ± 3√(p̄(1 − p̄)/nᵢ) clamped to [0, 1], in per cent, from a provider's own counts. */
function pChartLimits(own: readonly Raw[]) {
  const pBar = sum(own.map((row) => row.numerator!)) / sum(own.map((row) => row.denominator!));
  return own.map((row) => {
    const sigma = Math.sqrt((pBar * (1 - pBar)) / row.denominator!);
    return { period: row.period, lower: 100 * Math.max(0, pBar - 3 * sigma), upper: 100 * Math.min(1, pBar + 3 * sigma) };
  });
}

/** Making Data Count's assurance, the peers' value in the target's place. */
function assuranceAgainst(value: number, limits: { lower: number; upper: number }, higherIsBetter: boolean) {
  if (value > limits.upper) return higherIsBetter ? 'consistent_fail' : 'consistent_pass';
  if (value < limits.lower) return higherIsBetter ? 'consistent_pass' : 'consistent_fail';
  return 'inconsistent';
}

describeDemoApi('API: peer groups as the benchmark of SPC assurance and of the variation finder', ({ app, database }) => {
  /** A saved peer set, written straight to its tables (saving through the API is tested with the peers routes). */
  const saveSet = async (name: string, members: string[]) => {
    const { db } = database();
    const [set] = await db.insert(schema.peerSets).values({ name, createdBy: 'test' }).returning();
    const organisations = await db.select({ id: schema.organisations.id }).from(schema.organisations).where(inArray(schema.organisations.code, members));
    await db.insert(schema.peerSetMembers).values(organisations.map((organisation) => ({ peerSetId: set.id, organisationId: organisation.id })));
    return set.id;
  };

  it("judges a provider's process limits against its nearest neighbours' pooled counts in each period", async () => {
    const body = await getJson(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&chart=p&benchmark=peers&peersOf=RZA&k=10&attributes=beds,deprivation_decile');
    const peers: string[] = body.settings.peers.group.explanation.peers.map((peer: { code: string }) => peer.code);
    expect(peers).toHaveLength(10);
    expect(peers).not.toContain('RZA');
    expect(body.settings).toMatchObject({ benchmark: 'peers', peers: { of: 'RZA', minimum: 3 } });
    expect(body.assuranceAgainst).toBe('peers');
    const raw = await rawObservations(database().db, 'VA-CANCER62');
    const pooled = pooledByPeriod(raw, peers);
    const limits = pChartLimits(raw.filter((row) => row.code === 'RZA'));
    expect(body.points).toHaveLength(limits.length);
    let judged = 0;
    body.points.forEach((point: { period: string; peers: { value: number | null; published: number; withheld: number; assurance: string | null; reason: string | null } }, i: number) => {
      const expected = pooled.get(point.period)!;
      expect(point.peers.published, point.period).toBe(expected.published);
      expect(point.peers.withheld, point.period).toBe(expected.withheld);
      expect(point.peers.value, point.period).toBeCloseTo(expected.value!, 10);
      expect(point.peers.assurance, point.period).toBe(assuranceAgainst(expected.value!, limits[i], true));
      expect(point.peers.reason).toBeNull();
      judged++;
    });
    expect(judged).toBeGreaterThan(4);
    // The icon is the latest point's: RZA's planted 49 % against peers in the 80s.
    expect(body.assurance).toBe(body.points.at(-1).peers.assurance);
    expect(body.assurance).toBe('consistent_fail');
    expect(body.peerAssurance).toEqual({ period: body.points.at(-1).period, category: 'consistent_fail', reason: null });
  });

  it('leaves a period unjudged, with the reason, when fewer than three of its peers are published', async () => {
    const raw = await rawObservations(database().db, 'VA-HIPFX-MORT30');
    const withheld = raw.find((row) => withheldProportion(row))!;
    expect(withheld).toBeDefined();
    // The withheld provider and two that are published in every period; the provider charted is none of them.
    const always = [...new Set(raw.map((row) => row.code))].filter((code) => code !== withheld.code && raw.filter((row) => row.code === code).every((row) => !withheldProportion(row)));
    const [a, b, charted] = always;
    const set = await saveSet('Hip fracture trio', [withheld.code, a, b]);
    const body = await getJson(app(), `/api/trends/spc?indicator=VA-HIPFX-MORT30&organisation=${charted}&chart=p&benchmark=peers&peers=${set}`);
    const pooled = pooledByPeriod(raw, [withheld.code, a, b]);
    const limits = pChartLimits(raw.filter((row) => row.code === charted));
    for (const [i, point] of (body.points as { period: string; peers: { value: number | null; assurance: string | null; reason: string | null; published: number } }[]).entries()) {
      const expected = pooled.get(point.period)!;
      expect(point.peers.published).toBe(expected.published);
      if (expected.value === null) {
        expect(point.peers).toMatchObject({ value: null, assurance: null });
        expect(point.peers.reason).toMatch(/2 of the 3 peers .* at least 3/);
      } else {
        expect(point.peers.value).toBeCloseTo(expected.value, 10);
        expect(point.peers.assurance).toBe(assuranceAgainst(expected.value, limits[i], false));
      }
    }
    expect(body.points.some((point: { peers: { value: number | null } }) => point.peers.value === null)).toBe(true);
  });

  it('answers bad peer benchmarks on the SPC route with a 4xx naming the parameter', async () => {
    await expectApiError(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=peers', 400, 'peers');
    await expectApiError(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=peers&peers=1&peersOf=RZA', 400, 'peers');
    await expectApiError(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=peers&peersOf=RZA&k=2', 422, 'peers', 'peers_too_few');
    await expectApiError(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=peers&peers=99999', 404, 'peers');
    await expectApiError(app(), '/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=elsewhere', 400, 'benchmark');
    // A set of the provider and two others leaves two peers: refused, not pooled.
    const set = await saveSet('RZA and two', ['RZA', 'RZB', 'RZC']);
    await expectApiError(app(), `/api/trends/spc?indicator=VA-CANCER62&organisation=RZA&benchmark=peers&peers=${set}`, 422, 'peers', 'peers_too_few');
  });

  const attributes = 'beds,deprivation_decile';

  it("finds members beyond 99.8 % of their own nearest neighbours' funnel, z and φ recomputed from the peers' raw counts", async () => {
    const body = await getJson(app(), `/api/variation?network=KB-CANCER&benchmark=peers&nearest=true&k=10&attributes=${attributes}&convention=spiegelhalter&trim=0&recent=4`);
    expect(body.benchmark).toMatchObject({ kind: 'peers', minimum: 3, peers: { kind: 'nearest-neighbours', k: 10, attributes: ['beds', 'deprivation_decile'] } });
    const cancer = body.findings.filter((finding: { indicator: string }) => finding.indicator === 'VA-CANCER62');
    expect(cancer.length).toBeGreaterThan(0);
    for (const finding of cancer) {
      const { peers } = await getJson(app(), `/api/peers/nearest?of=${finding.organisation.code}&k=10&attributes=${attributes}`);
      const codes: string[] = peers.map((peer: { code: string }) => peer.code);
      const raw = await rawObservations(database().db, 'VA-CANCER62', { period: finding.period });
      const published = raw.filter((row) => codes.includes(row.code) && !withheldProportion(row));
      const p0 = sum(published.map((row) => row.numerator!)) / sum(published.map((row) => row.denominator!));
      const own = raw.find((row) => row.code === finding.organisation.code)!;
      // Spiegelhalter's arcsine scale: z = (asin√p − asin√p₀)·2√n against the peers' pooled value.
      const zOf = (row: Raw, centre: number) => (Math.asin(Math.sqrt(row.numerator! / row.denominator!)) - Math.asin(Math.sqrt(centre))) * 2 * Math.sqrt(row.denominator!);
      expect(finding.z, finding.organisation.code).toBeCloseTo(zOf(own, p0), 9);
      // φ over the group and the member, around their own pooled value (no trimming).
      const group = [...published, own];
      const centre = sum(group.map((row) => row.numerator!)) / sum(group.map((row) => row.denominator!));
      const phi = sum(group.map((row) => zOf(row, centre) ** 2)) / group.length;
      expect(finding.adjustedZ, finding.organisation.code).toBeCloseTo(zOf(own, p0) / Math.sqrt(Math.max(1, phi)), 9);
      expect(Math.abs(finding.adjustedZ)).toBeGreaterThan(3.09);
      expect(finding.sentence).toContain('for its size against its 10 most similar trusts by beds and deprivation decile');
      expect(finding.peerGroup).toBe('its 10 most similar trusts by beds and deprivation decile');
      // The same judgement as the funnel of the member's peers gives.
      const funnel = await getJson(app(), `/api/funnel?indicator=VA-CANCER62&period=${finding.period}&benchmark=peers&peersOf=${finding.organisation.code}&k=10&attributes=${attributes}&convention=spiegelhalter&trim=0`);
      expect(funnel.providers.find((provider: { code: string }) => provider.code === finding.organisation.code).adjustedZ).toBeCloseTo(finding.adjustedZ, 12);
    }
    // Chance over the judgements made: every member × indicator judged against its peers, and those beyond 99.8 %.
    const judged = sum(body.indicators.map((indicator: { funnel: { judged?: number } }) => indicator.funnel.judged ?? 0));
    expect(body.chance).toMatchObject({ judged, observed: body.findings.length });
    expect(body.chance.expected).toBeCloseTo(judged * 0.002, 9);
  });

  it('judges each member against a saved set without the member, and lists those the set cannot judge with the reason', async () => {
    const set = await saveSet('Cancer trio', ['RZA', 'RZB', 'RZC']);
    const body = await getJson(app(), `/api/variation?network=KB-CANCER&benchmark=peers&peers=${set}&recent=1`);
    expect(body.benchmark.peers).toMatchObject({ kind: 'set', id: set, name: 'Cancer trio', members: 3 });
    // RZA's peers are RZB and RZC only: two, so it is not judged; a member outside the set has all three.
    const rza = body.notJudged.filter((one: { organisation: { code: string } }) => one.organisation.code === 'RZA');
    expect(rza.length).toBeGreaterThan(0);
    for (const one of rza) expect(one.reason).toMatch(/at least 3/);
    const finding = body.findings.find((one: { organisation: { code: string } }) => !['RZA', 'RZB', 'RZC'].includes(one.organisation.code));
    if (finding) expect(finding.sentence).toContain('against the peer set “Cancer trio”');
    expect(body.findings.every((one: { organisation: { code: string } }) => one.organisation.code !== 'RZA')).toBe(true);
  });

  it('answers bad peer benchmarks on the finder with a 4xx naming the parameter', async () => {
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers', 400, 'peers');
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers&peers=1&nearest=true', 400, 'peers');
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers&nearest=true&k=2', 422, 'peers', 'peers_too_few');
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers&peers=99999', 404, 'peers');
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers&nearest=true&attributes=trust_type', 400, 'attributes');
    await expectApiError(app(), '/api/variation?network=KB-CANCER&benchmark=peers&nearest=true&attributes=nope', 404, 'attributes');
    const pair = await saveSet('A pair', ['RZA', 'RZB']);
    await expectApiError(app(), `/api/variation?network=KB-CANCER&benchmark=peers&peers=${pair}`, 422, 'peers', 'peers_too_few');
  });
});
