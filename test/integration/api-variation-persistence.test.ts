import { beforeAll, expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

type Persistent = { indicator: string; organisation: { code: string }; periods: string[]; side: 'above' | 'below'; beyond998: boolean; sentence: string };
type FunnelProvider = { code: string; band: string | null; judgement: string | null; inNetwork: boolean | null };

describeDemoApi('variation finder: persistent outliers, method sensitivity and concerns first', ({ app }) => {
  let qzz: any;
  beforeAll(async () => {
    qzz = await getJson(app(), '/api/variation?network=QZZ');
  });

  it("lists the ICB's members outside the same 95 % limit in each of the last 4 quarters, recounted from the funnel route", async () => {
    expect(qzz.persistence).toBe(4);
    const expected = new Set<string>();
    let judgedInAll = 0;
    for (const indicator of qzz.indicators.filter((one: { funnel: { available: boolean } }) => one.funnel.available)) {
      const { periods } = await getJson(app(), `/api/indicators/${indicator.code}`);
      const labels = periods.map((period: { label: string }) => period.label);
      const last = labels.slice(0, labels.indexOf(indicator.period.label) + 1).slice(-4);
      if (last.length < 4) continue;
      const funnels: Map<string, FunnelProvider>[] = [];
      for (const label of last) {
        const funnel = await getJson(app(), `/api/funnel?indicator=${indicator.code}&period=${encodeURIComponent(label)}&network=QZZ`);
        funnels.push(new Map(funnel.providers.map((provider: FunnelProvider) => [provider.code, provider])));
      }
      for (const provider of funnels.at(-1)!.values()) {
        if (!provider.inNetwork) continue;
        const bands = funnels.map((funnel) => funnel.get(provider.code)?.band ?? null);
        if (bands.every((band) => band !== null)) judgedInAll++;
        for (const side of ['above', 'below']) if (bands.every((band) => band?.startsWith(side))) expected.add(`${indicator.code}|${provider.code}`);
      }
    }
    const listed = qzz.persistent.map((one: Persistent) => `${one.indicator}|${one.organisation.code}`);
    expect(new Set(listed)).toEqual(expected);
    expect(listed).toHaveLength(expected.size);
    // Persistent but not beyond 99.8 % now: what the findings alone miss.
    const findings = new Set(qzz.findings.map((finding: Persistent) => `${finding.indicator}|${finding.organisation.code}`));
    const missed = qzz.persistent.filter((one: Persistent) => !one.beyond998);
    expect(missed.length).toBeGreaterThan(0);
    for (const one of missed) {
      expect(findings.has(`${one.indicator}|${one.organisation.code}`)).toBe(false);
      expect(one.sentence).toMatch(new RegExp(`has been ${one.side} the 95 % limit for its size in each of the last 4 quarters; it is .* now, within the 99\\.8 % limit\\.$`));
    }
    expect(qzz.persistentChance).toMatchObject({ periods: 4, judged: judgedInAll, observed: expected.size });
    expect(qzz.persistentChance.expected).toBeCloseTo(judgedInAll * 2 * 0.025 ** 4, 15);
  });

  it('takes k as persistence: fewer periods list at least as many, and k beyond the window or below 2 is a 400', async () => {
    const two = await getJson(app(), '/api/variation?network=QZZ&persistence=2');
    expect(two.persistence).toBe(2);
    expect(two.persistent.length).toBeGreaterThanOrEqual(qzz.persistent.length);
    for (const one of two.persistent) expect(one.periods).toHaveLength(2);
    await expectApiError(app(), '/api/variation?network=QZZ&persistence=5', 400, 'persistence');
    await expectApiError(app(), '/api/variation?network=QZZ&recent=3&persistence=4', 400, 'persistence');
    await expectApiError(app(), '/api/variation?network=QZZ&persistence=1', 400, 'persistence');
    await expectApiError(app(), '/api/variation?network=QZZ&persistence=two', 400, 'persistence');
    expect((await getJson(app(), '/api/variation?network=QZZ&recent=1')).persistent).toEqual([]);
  });

  it('ranks concerns first: no network opens its findings with a better-than-expected result', async () => {
    const { networks } = await getJson(app(), '/api/variation/networks');
    for (const network of networks) {
      const { findings } = await getJson(app(), `/api/variation?network=${network.code}`);
      const firstBetter = findings.findIndex((finding: { judgement: string }) => finding.judgement === 'better');
      if (firstBetter >= 0) expect(findings.slice(firstBetter).map((finding: { judgement: string }) => finding.judgement)).toEqual(findings.slice(firstBetter).map(() => 'better'));
    }
  });

  it("says when a finding is method-sensitive: RZA's critical-care readmissions in the cancer alliance, judged without adjustment", async () => {
    const body = await getJson(app(), '/api/variation?network=KB-CANCER&adjustment=none');
    const rza = body.findings.find((finding: any) => finding.indicator === 'VA-CC-READM48' && finding.organisation.code === 'RZA');
    expect(rza.methodSensitivity.robust).toBe(false);
    const sensitivity = await getJson(app(), '/api/funnel/sensitivity?indicator=VA-CC-READM48');
    expect(rza.methodSensitivity.verdicts.map((verdict: { verdict: string }) => verdict.verdict)).toEqual(
      sensitivity.providers.find((provider: { code: string }) => provider.code === 'RZA').verdicts.map((verdict: { verdict: string }) => verdict.verdict),
    );
    expect(rza.sentence).toMatch(/ It is beyond the 99\.8 % limit without adjustment but not under φ or under τ²\.$/);
    // Under the default (φ) it is no finding, but the network view still lists it as method-sensitive.
    const own = await getJson(app(), '/api/variation?network=KB-CANCER');
    expect(own.findings.some((finding: any) => finding.indicator === 'VA-CC-READM48' && finding.organisation.code === 'RZA')).toBe(false);
    expect(own.methodSensitive.find((one: any) => one.indicator === 'VA-CC-READM48' && one.organisation.code === 'RZA')).toMatchObject({ judgement: 'as-expected' });
    expect(own.indicators.find((one: any) => one.code === 'VA-CC-READM48').funnel.tau2Interval).toMatchObject({ coverage: 0.95, lower: expect.any(Number), upper: expect.any(Number) });
  });

  it("flags RZA's critical-care readmissions in 2025/26 Q1, beyond 99.8 % under φ but not τ² at the default trimming, as method-sensitive in the findings", async () => {
    const body = await getJson(app(), `/api/variation?network=KB-CANCER&period=${encodeURIComponent('2025/26 Q1')}`);
    const rza = body.findings.find((finding: any) => finding.indicator === 'VA-CC-READM48' && finding.organisation.code === 'RZA');
    const verdict = (method: string) => rza.methodSensitivity.verdicts.find((one: { method: string }) => one.method === method).verdict;
    expect([verdict('φ, 10 % winsorised'), verdict('τ², 10 % winsorised')]).toEqual(['worse', 'as-expected']);
    expect(rza.methodSensitivity.robust).toBe(false);
    expect(rza.sentence).toMatch(/ It is beyond the 99\.8 % limit .*under φ.* but not .*\.$/);
  });
});
