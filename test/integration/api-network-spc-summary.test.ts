import { expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

/**
 * The network SPC summary (issue 16): each member's icons are those of its own chart on GET /api/trends/spc, the
 * network's those of GET /api/trends/network-spc, the members listed are those of GET /api/networks on the
 * period's last day that the period's funnel lists, and the counts are tallied here from those answers.
 */
describeDemoApi('API network SPC summary', ({ app }) => {
  const variationGroupOf = (variation: string) => (variation === 'common_cause' ? 'common' : ['improvement', 'concern', 'neutral'].find((word) => variation.includes(word))!);
  const assuranceGroupOf = (assurance: string | null) => (assurance === null ? 'noTarget' : { consistent_pass: 'pass', consistent_fail: 'fail', inconsistent: 'hitAndMiss' }[assurance]!);

  it.each(['KB-CVD-SCN', 'KB-CC-ODN'])("%s: every member's icons are its own SPC chart's, and the counts tally them", async (network) => {
    const summary = await getJson(app(), `/api/trends/network-spc-summary?network=${network}`);
    expect(summary.indicators.length).toBeGreaterThan(0);
    let charted = 0;
    let withheld = 0;
    for (const entry of summary.indicators) {
      const code = entry.indicator.code;
      const period = entry.period.label;
      const members = new Set((await getJson(app(), `/api/networks/${network}?date=${entry.period.endDate}`)).members.map((member: { code: string }) => member.code));
      const funnel = await getJson(app(), `/api/funnel?indicator=${code}&period=${encodeURIComponent(period)}&network=${network}&networkOnly=true`);
      const listed = funnel.providers.map((provider: { code: string }) => provider.code).filter((one: string) => members.has(one)).sort();
      expect(entry.members.map((member: { code: string }) => member.code).sort(), code).toEqual(listed);
      expect(entry.counts.members, code).toBe(members.size);
      const tally = { variation: { improvement: 0, concern: 0, neutral: 0, common: 0 }, assurance: { pass: 0, fail: 0, hitAndMiss: 0, noTarget: 0 }, withheld: 0, notCharted: 0 } as any;
      const withheldInFunnel = new Set(funnel.providers.filter((provider: { suppressed: boolean }) => provider.suppressed).map((provider: { code: string }) => provider.code));
      for (const member of entry.members) {
        const response = await app().request(`/api/trends/spc?indicator=${code}&organisation=${member.code}`);
        const spc = response.status === 200 ? await response.json() : null;
        if (withheldInFunnel.has(member.code)) {
          expect(member, `${code} ${member.code}`).toEqual({ code: member.code, name: member.name, status: 'withheld' });
          tally.withheld++;
        } else if (spc === null || spc.points.at(-1).period !== period) {
          expect(member.status, `${code} ${member.code}`).toBe('not_charted');
          tally.notCharted++;
        } else {
          expect(member, `${code} ${member.code}`).toMatchObject({ status: 'charted', kind: spc.kind, variation: spc.variation, assurance: spc.assurance });
          tally.variation[variationGroupOf(spc.variation)]++;
          tally.assurance[assuranceGroupOf(spc.assurance)]++;
        }
      }
      expect(entry.counts, code).toMatchObject(tally);
      charted += entry.counts.charted;
      withheld += entry.counts.withheld;
      const pooled = await getJson(app(), `/api/trends/network-spc?indicator=${code}&network=${network}`);
      expect(entry.network, code).toMatchObject({ status: 'charted', kind: pooled.kind, variation: pooled.variation, assurance: pooled.assurance, providers: pooled.points.at(-1).providers });
    }
    expect(charted).toBeGreaterThan(0);
    // KB-CC-ODN's readmissions withhold members' small counts (the demo's rare-event indicator).
    if (network === 'KB-CC-ODN') expect(withheld).toBeGreaterThan(0);
  }, 300_000);

  it('summarises an earlier period: each member charted up to it', async () => {
    const latest = await getJson(app(), '/api/trends/network-spc-summary?network=KB-CVD-SCN&indicator=VA-SHMI');
    const indicator = await getJson(app(), '/api/indicators/VA-SHMI');
    const earlier = indicator.periods.at(-3).label;
    const summary = await getJson(app(), `/api/trends/network-spc-summary?network=KB-CVD-SCN&indicator=VA-SHMI&period=${encodeURIComponent(earlier)}`);
    expect(latest.indicators[0].period.label).toBe(indicator.periods.at(-1).label);
    expect(summary.indicators).toHaveLength(1);
    expect(summary.indicators[0].period.label).toBe(earlier);
    expect(summary.indicators[0].counts.charted).toBeGreaterThan(0);
  });

  it.each([
    ['/api/trends/network-spc-summary', 400, 'network'],
    ['/api/trends/network-spc-summary?network=NOPE', 404, 'network'],
    ['/api/trends/network-spc-summary?network=KB-CC-ODN&indicator=VA-CERVICAL', 404, 'indicator'],
    ['/api/trends/network-spc-summary?network=KB-CC-ODN&period=1999%20Q9', 404, 'period'],
    ['/api/trends/network-spc-summary?network=KB-CC-ODN&trendLength=1', 400, 'trendLength'],
  ])('%s answers %i naming %s', (path, status, parameter) => expectApiError(app(), path, status, parameter));
});
