import { expect, it } from 'vitest';
import { describeDemoApi, getJson } from '../support/demo-api';

type Finding = { organisation: { code: string }; judgement: string };
type NetworkSummary = {
  code: string;
  name: string;
  reportingProviders: number;
  providersOfConcern: number;
  concernShare: number | null;
  providersBetter: number;
  chance: { judged: number; observed: number; expected: number };
};

// The home page's ranking: a network is ranked by the share of its members giving concern, not by how many
// outlie, and members doing better than expected are never counted as a concern.
describeDemoApi('the home ranking of networks (GET /api/variation/networks)', ({ app }) => {
  it("counts concern and better apart, as each network's variation finder judges its members", async () => {
    const summary = await getJson<{ networks: NetworkSummary[] }>(app(), '/api/variation/networks');
    let betterSeen = 0;
    for (const network of summary.networks) {
      const { findings } = await getJson<{ findings: Finding[] }>(app(), `/api/variation?network=${network.code}`);
      const members = (keep: (judgement: string) => boolean) => new Set(findings.filter((finding) => keep(finding.judgement)).map((finding) => finding.organisation.code)).size;
      expect({ network: network.code, concern: network.providersOfConcern, better: network.providersBetter }).toEqual({
        network: network.code,
        concern: members((judgement) => judgement !== 'better'),
        better: members((judgement) => judgement === 'better'),
      });
      expect(network.concernShare).toBe(network.reportingProviders === 0 ? null : network.providersOfConcern / network.reportingProviders);
      expect(network.chance.observed).toBe(findings.length);
      expect(network.chance.expected).toBeCloseTo(network.chance.judged * 0.002, 12);
      betterSeen += network.providersBetter;
    }
    // The demo plants providers doing better than expected; without them this test could not tell the two apart.
    expect(betterSeen).toBeGreaterThan(0);
  }, 120_000);

  it('ranks by the share of members giving concern, so a small network with many is above a large one with a few', async () => {
    const { networks, ranking } = await getJson<{ networks: NetworkSummary[]; ranking: string[] }>(app(), '/api/variation/networks');
    const ranked = ranking.map((code) => networks.find((network) => network.code === code)!);
    expect(ranked.length).toBe(networks.filter((network) => network.providersOfConcern > 0).length);
    for (let i = 1; i < ranked.length; i += 1) expect(ranked[i - 1].concernShare!, ranked[i].code).toBeGreaterThanOrEqual(ranked[i].concernShare!);
    const largest = [...networks].sort((a, b) => b.reportingProviders - a.reportingProviders)[0];
    // The demo's ICB has the most members giving concern but among hundreds; it must not lead.
    expect(ranking[0]).not.toBe(largest.code);
  });
});
