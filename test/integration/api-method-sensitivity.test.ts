import { beforeAll, expect, it } from 'vitest';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';

type Verdict = { method: string; verdict: string };
type SensitivityProvider = { code: string; suppressed: boolean; judgement: string | null; verdicts: Verdict[] | null; robust: boolean | null; inNetwork: boolean | null };
type SweptMethod = { label: string; convention: string; adjustment: string; trimFraction: number; trimMethod: string; beyond: number };

describeDemoApi('API method sensitivity (GET /api/funnel/sensitivity)', ({ app }) => {
  let body: { methods: SweptMethod[]; providers: SensitivityProvider[]; counts: Record<string, unknown>; overdispersion: Record<string, any> };
  beforeAll(async () => {
    body = await getJson(app(), '/api/funnel/sensitivity?indicator=VA-CC-READM48&network=KB-CANCER');
  });

  it("gives each provider the judgement the funnel route gives under each method, drawn one method at a time", async () => {
    expect(body.methods.map((method) => method.label)).toEqual([
      'no adjustment', 'φ, 5 % winsorised', 'φ, 10 % winsorised', 'φ, 20 % winsorised', 'τ², 5 % winsorised', 'τ², 10 % winsorised', 'τ², 20 % winsorised',
    ]);
    const judged = body.providers.filter((provider) => !provider.suppressed);
    expect(judged.length).toBeGreaterThan(10);
    for (const [m, method] of body.methods.entries()) {
      const funnel = await getJson(app(), `/api/funnel?indicator=VA-CC-READM48&convention=${method.convention}&adjustment=${method.adjustment}&trim=${method.trimFraction}&trimMethod=${method.trimMethod}`);
      const judgements = new Map(funnel.providers.map((provider: { code: string; judgement: string | null }) => [provider.code, provider.judgement]));
      for (const provider of judged) expect([method.label, provider.code, provider.verdicts![m].verdict]).toEqual([method.label, provider.code, judgements.get(provider.code)]);
      expect(method.beyond).toBe(judged.filter((provider) => provider.verdicts![m].verdict !== 'as-expected').length);
    }
    for (const provider of judged) expect(provider.robust).toBe(new Set(provider.verdicts!.map((verdict) => verdict.verdict)).size === 1);
    expect(body.counts).toMatchObject({ judged: judged.length, methodSensitive: judged.filter((provider) => provider.robust === false).length });
  });

  it('names suppressed providers with no verdict, and counts them apart', () => {
    const suppressed = body.providers.filter((provider) => provider.suppressed);
    expect(suppressed.length).toBeGreaterThan(0);
    for (const provider of suppressed) expect(provider).toMatchObject({ judgement: null, verdicts: null, robust: null });
    expect(body.counts.suppressed).toBe(suppressed.length);
  });

  it("reports the funnel's own τ² with its Q-profile 95 % interval", async () => {
    const additive = await getJson(app(), '/api/funnel?indicator=VA-CC-READM48&adjustment=additive');
    expect(body.overdispersion.tau2).toBeCloseTo(additive.overdispersion.tau2, 12);
    expect(body.overdispersion.phi).toBeCloseTo(additive.overdispersion.phi, 12);
    const { lower, upper, coverage, df } = body.overdispersion.tau2Interval;
    expect(coverage).toBe(0.95);
    expect(df).toBe(additive.overdispersion.n - 1);
    expect(0 <= lower && lower <= upper).toBe(true);
  });

  it('adds the SHMI convention for ratios only', async () => {
    const shmi = await getJson(app(), '/api/funnel/sensitivity?indicator=VA-SHMI');
    expect(shmi.methods.filter((method: SweptMethod) => method.convention === 'shmi').map((method: SweptMethod) => method.trimMethod)).toEqual(['truncate', 'truncate', 'truncate']);
  });

  it('refuses bad parameters with a 4xx naming them', async () => {
    await expectApiError(app(), '/api/funnel/sensitivity', 400, 'indicator');
    await expectApiError(app(), '/api/funnel/sensitivity?indicator=VA-CC-READM48&trim=0.9', 400, 'trim');
    await expectApiError(app(), '/api/funnel/sensitivity?indicator=NOPE', 404, 'indicator');
    await expectApiError(app(), '/api/funnel/sensitivity?indicator=VA-CC-READM48&period=1999', 404, 'period');
  });
});
