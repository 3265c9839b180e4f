import { beforeAll, expect, it } from 'vitest';
import type { VariationFinding } from '../../api/analysis/variation-findings';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { rawObservations, sum } from '../support/raw-observations';

type Finding = VariationFinding;

const demo = generateDemoData();
const { effects, controls } = demo.plantedEffects;
const latest = demo.periods.at(-1)!;
const polarity = new Map(demo.indicators.map((indicator) => [indicator.code, indicator.polarity]));
/** The networks an organisation belongs to at the end of the latest quarter, from the demo's dated memberships. */
const networksOf = (code: string) =>
  demo.memberships
    .filter((row) => row.organisation_code === code && row.valid_from <= latest.end_date && (row.valid_to === null || row.valid_to > latest.end_date))
    .map((row) => row.network_code);
const found = effects.filter((effect) => effect.kind === 'outlier' || effect.kind === 'drift');
const networks = [...new Set([...found, ...controls.map((code) => ({ organisationCode: code }))].flatMap((effect) => networksOf(effect.organisationCode)))];

describeDemoApi('API variation finder', ({ app, database }) => {
  // Each network's findings in the latest quarter, with the default method (Spiegelhalter, multiplicative φ).
  const byNetwork = new Map<string, { findings: Finding[]; indicators: { code: string; funnel: { available: boolean } }[] }>();
  beforeAll(async () => {
    for (const network of networks) byNetwork.set(network, await getJson(app(), `/api/variation?network=${network}`));
  });

  it.each(found.map((effect) => [`${effect.indicatorCode} ${effect.organisationCode} (${effect.kind}, ${effect.direction})`, effect] as const))(
    'finds the planted %s in every network it belongs to, in the latest quarter and the right direction',
    (_name, effect) => {
      const memberOf = networksOf(effect.organisationCode);
      expect(memberOf.length).toBeGreaterThan(0);
      for (const network of memberOf) {
        const body = byNetwork.get(network)!;
        const indicator = body.indicators.find((candidate) => candidate.code === effect.indicatorCode)!;
        // Every measure kind has a funnel, means (RZE's length of stay) included.
        expect(indicator.funnel.available, `${network} ${effect.indicatorCode}`).toBe(true);
        const finding = body.findings.find((candidate) => candidate.indicator === effect.indicatorCode && candidate.organisation.code === effect.organisationCode);
        expect(finding, `${network}`).toBeDefined();
        const sign = polarity.get(effect.indicatorCode);
        const judgement = sign === 'no_judgement' ? effect.direction : (effect.direction === 'higher') === (sign === 'higher_is_better') ? 'better' : 'worse';
        expect(finding).toMatchObject({ period: latest.label, side: effect.direction === 'higher' ? 'above' : 'below', judgement, band: `${effect.direction === 'higher' ? 'above' : 'below'}-99.8` });
        if (effect.kind === 'outlier') expect(finding!.persistence.outside95).toBeGreaterThanOrEqual(3);
        expect(finding!.persistence.periods).toHaveLength(4);
      }
    },
  );

  it('assesses every indicator of the ICB, published means and directly standardised rates included', () => {
    const unassessed = byNetwork.get('QZZ')!.indicators.filter((indicator) => !indicator.funnel.available).map((indicator) => indicator.code);
    expect(unassessed).toEqual([]);
  });

  it('flags no control provider at 99.8 % in any network it belongs to', () => {
    const flagged = networks.flatMap((network) => byNetwork.get(network)!.findings.filter((finding) => controls.includes(finding.organisation.code)).map((finding) => `${network} ${finding.indicator} ${finding.organisation.code}`));
    expect(flagged).toEqual([]);
  });

  it('ranks concerns before better-than-expected findings, each by |adjusted z|, and the sentence states the value recomputed from the raw counts', async () => {
    const body = byNetwork.get('KB-MT-ODN')!;
    const concern = (finding: VariationFinding) => finding.judgement !== 'better';
    const firstBetter = body.findings.findIndex((finding) => !concern(finding));
    if (firstBetter >= 0) expect(body.findings.slice(firstBetter).every((finding) => !concern(finding))).toBe(true);
    for (const group of [body.findings.filter(concern), body.findings.filter((finding) => !concern(finding))]) {
      const sizes = group.map((finding) => Math.abs(finding.adjustedZ));
      expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    }
    const rzb = body.findings.find((finding) => finding.indicator === 'VA-SHMI' && finding.organisation.code === 'RZB')!;
    const [own] = await rawObservations(database().db, 'VA-SHMI', { period: latest.label, organisation: 'RZB' });
    expect(rzb.value).toBeCloseTo(own.observed! / own.expected!, 12);
    expect(rzb.sentence.startsWith(
      `${own.name}'s hospital mortality ratio (SHMI-like), ${(own.observed! / own.expected!).toFixed(2)}, is above the 99.8 % limit for its size, and has been outside 95 % in ${rzb.persistence.outside95} of the last 4 quarters.`,
    )).toBe(true);
  });

  it("counts persistence as the funnel route's bands outside 95 % in each of the last four quarters", async () => {
    const z10123 = byNetwork.get('UZ004')!.findings.find((finding) => finding.organisation.code === 'Z10123')!;
    let outside = 0;
    for (const period of z10123.persistence.periods) {
      const funnel = await getJson(app(), `/api/funnel?indicator=VA-CERVICAL&period=${period}`);
      if (funnel.providers.find((provider: { code: string }) => provider.code === 'Z10123').band !== 'within') outside++;
    }
    expect(z10123.persistence.outside95).toBe(outside);
    // z on the arcsine scale about the pooled proportion of all practices, written out from the raw counts.
    const rows = await rawObservations(database().db, 'VA-CERVICAL', { period: latest.label });
    const theta = sum(rows.map((row) => row.numerator!)) / sum(rows.map((row) => row.denominator!));
    const own = rows.find((row) => row.code === 'Z10123')!;
    expect(z10123.z).toBeCloseTo((Math.asin(Math.sqrt(own.numerator! / own.denominator!)) - Math.asin(Math.sqrt(theta))) * 2 * Math.sqrt(own.denominator!), 9);
  });

  it('looks back from a chosen period over `recent` periods, and says nothing of persistence with one', async () => {
    const earlier = await getJson(app(), '/api/variation?network=UZ004&period=2024/25 Q1&recent=3');
    const finding = earlier.findings.find((candidate: Finding) => candidate.organisation.code === 'Z10123');
    expect(finding).toMatchObject({ period: '2024/25 Q1', persistence: { periods: ['2023/24 Q3', '2023/24 Q4', '2024/25 Q1'] } });
    expect(finding.sentence).toMatch(/in \d of the last 3 quarters\.$/);
    const single = await getJson(app(), '/api/variation?network=UZ004&recent=1');
    expect(single.findings.find((candidate: Finding) => candidate.organisation.code === 'Z10123').sentence).toMatch(/limit for its size\.$/);
  });

  it('applies a chosen convention where it suits the measure and each indicator its own elsewhere (the SHMI convention on proportions)', async () => {
    const body = await getJson(app(), '/api/variation?network=KB-CANCER&convention=shmi');
    expect(body.method).toMatchObject({ convention: 'shmi', adjustment: 'additive', conventionNote: expect.stringContaining('the others keep their own') });
    const cancer62 = body.indicators.find((indicator: { code: string }) => indicator.code === 'VA-CANCER62');
    expect(cancer62.method).toMatchObject({ convention: 'spiegelhalter', conventionSource: 'requested_not_applicable' });
    expect(cancer62.funnel).toMatchObject({ available: true });
    expect(body.indicators.find((indicator: { code: string }) => indicator.code === 'VA-SHMI').method).toMatchObject({ convention: 'shmi', conventionSource: 'requested' });
    // Only VA-SHMI's findings may differ from the indicators' own conventions: no indicator drops out.
    const own = await getJson(app(), '/api/variation?network=KB-CANCER');
    const notShmi = (findings: Finding[]) => findings.filter((finding) => finding.indicator !== 'VA-SHMI').length;
    expect(notShmi(body.findings)).toBe(notShmi(own.findings));
  });

  it("counts each network's outliers as its own variation finder finds them, for every network of the demo", async () => {
    const summary = await getJson(app(), '/api/variation/networks');
    expect(summary.networks.map((network: { code: string }) => network.code).sort()).toEqual(demo.networks.map((network) => network.code).sort());
    for (const network of summary.networks) {
      const { findings } = await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network.code}`);
      expect({ network: network.code, results: network.outlyingResults, providers: network.outlyingProviders }).toEqual({
        network: network.code,
        results: findings.length,
        providers: new Set(findings.map((finding) => finding.organisation.code)).size,
      });
      expect(network.members, network.code).toBe(demo.memberships.filter((row) => row.network_code === network.code && row.valid_from <= latest.end_date && (row.valid_to === null || row.valid_to > latest.end_date)).length);
    }
    for (const effect of found) for (const network of networksOf(effect.organisationCode)) {
      expect(summary.networks.find((row: { code: string }) => row.code === network).outlyingProviders, network).toBeGreaterThan(0);
    }
  });

  it.each([
    ['/api/variation/networks?adjustment=sideways', 400, 'adjustment', 'invalid_parameter'],
    ['/api/variation', 400, 'network', 'invalid_parameter'],
    ['/api/variation?network=NOPE', 404, 'network', 'not_found'],
    ['/api/variation?network=QZZ&recent=0', 400, 'recent', 'invalid_parameter'],
    ['/api/variation?network=QZZ&period=1999', 404, 'period', 'not_found'],
    ['/api/variation?network=QZZ&trimMethod=chop', 400, 'trimMethod', 'invalid_parameter'],
  ])('%s answers %i naming %s', (path, status, parameter, code) => expectApiError(app(), path, status, parameter, code));
});
