import { describe, expect, it } from 'vitest';
import { chanceText, indicatorFindings, memberCounts, overdispersionFinding, outliersFinding, persistentFinding, pooledFinding, spcFinding, withinLimitsFinding, type PersistentOutlierJson } from './indicator-findings';
import { funnel, indicator, outlier, spc } from './pack-fixtures';

describe('memberCounts', () => {
  it("counts only the network's providers, judged at 99.8 %, with the suppressed apart", () => {
    expect(memberCounts(funnel())).toEqual({ judged: 4, within: 2, above: 1, below: 1, suppressed: 1, all: 6 });
  });
});

describe('withinLimitsFinding', () => {
  it('states how many lie within and beyond, and how many are withheld', () => {
    expect(withinLimitsFinding(memberCounts(funnel()))).toBe(
      "2 of the network's 4 providers on the funnel of all 6 providers lie within its 99.8 % limits; 2 lie beyond them (1 above, 1 below). 2 of 4 results beyond 99.8 %; about 0.008 expected by chance (range 0–0). A further 1 is withheld as small numbers.",
    );
  });

  it('says none lies beyond when all are within', () => {
    expect(withinLimitsFinding({ judged: 1, within: 1, above: 0, below: 0, suppressed: 0, all: 9 })).toBe(
      "1 of the network's 1 provider on the funnel of all 9 providers lies within its 99.8 % limits; none lies beyond them. 0 of 1 result beyond 99.8 %; about 0.002 expected by chance (range 0–0).",
    );
  });
});

describe('chanceText', () => {
  it('sets the count beside Binomial(judged, 0.002): R qbinom(c(0.025, 0.975), 1157, 0.002) = 0, 6', () => {
    expect(chanceText(27, 1157)).toBe('27 of 1157 results beyond 99.8 %; about 2.3 expected by chance (range 0–6).');
  });
});

describe('outliersFinding and persistentFinding', () => {
  const persistent = (code: string, beyond998: boolean): PersistentOutlierJson => ({
    indicator: 'I',
    organisation: { code, name: code },
    periods: ['a', 'b', 'c', 'd'],
    side: 'above',
    beyond998,
    sentence: `${code} has been above the 95 % limit for its size in each of the last 4 quarters.`,
  });

  it('keeps what a finding says about its method sensitivity', () => {
    const sentence = 'RZA is above the 99.8 % limit for its size. It is beyond the 99.8 % limit under φ but not under τ² or without adjustment.';
    expect(outliersFinding([outlier('RZA', sentence)])).toBe(sentence);
  });

  it('names the persistent outliers still within 99.8 % (those beyond are outliers already), three at most', () => {
    expect(persistentFinding([persistent('A', true), persistent('B', false)])).toBe('B has been above the 95 % limit for its size in each of the last 4 quarters.');
    expect(persistentFinding(['B', 'C', 'D', 'E', 'F'].map((code) => persistent(code, false)))).toMatch(/^B has .* D has been .*\. 2 more are persistently outside 95 %\.$/);
    expect(persistentFinding([persistent('A', true)])).toBeNull();
  });
});

describe('pooledFinding', () => {
  const pooled = (value: number, lower: number, upper: number, providers = 5) => ({ value, lower, upper, providers });

  it('calls the network higher or lower only when the all-provider value lies outside its 95 % interval', () => {
    expect(pooledFinding(indicator, { pooled: pooled(74, 73, 75), all: pooled(72, 71.8, 72.2, 30) })).toBe(
      "The network's pooled value, 74.0 % (95 % interval 73.0 to 75.0 %), is higher than the value across all 30 providers, 72.0 %.",
    );
    expect(pooledFinding(indicator, { pooled: pooled(70, 69, 71), all: pooled(72, 71.8, 72.2, 30) })).toContain('is lower than the value across all 30 providers, 72.0 %');
    expect(pooledFinding(indicator, { pooled: pooled(72.5, 71, 74), all: pooled(72, 71.8, 72.2, 30) })).toContain('is in line with the value across all 30 providers, 72.0 %, which lies within that interval');
  });

  it('says so when the network is every provider reporting', () => {
    expect(pooledFinding(indicator, { pooled: pooled(72, 71, 73, 30), all: pooled(72, 71, 73, 30) })).toContain('every provider reporting is a member');
  });

  it('has nothing to say without a pooled value', () => {
    expect(pooledFinding(indicator, { pooled: { value: null, lower: null, upper: null, providers: 0 }, all: pooled(72, 71, 73) })).toBeNull();
  });
});

describe('overdispersionFinding', () => {
  it('names φ, its test and the adjustment that was applied', () => {
    expect(overdispersionFinding(funnel())).toBe('Providers vary more than chance alone explains (φ = 2.50, p < 0.001); the limits are widened by √φ (multiplicative adjustment).');
    expect(overdispersionFinding(funnel({}, 'additive'))).toContain('τ² = 0.00120 (additive random effects)');
  });

  it('says when no adjustment was made, and why', () => {
    expect(overdispersionFinding(funnel({ phi: 0.8, applied: false, pValue: 0.7 }))).toBe('Providers vary no more than chance alone explains (φ = 0.80), so the limits are not adjusted.');
    expect(overdispersionFinding(funnel({}, 'none'))).toContain('the limits are not adjusted for overdispersion, as asked');
    expect(overdispersionFinding(funnel({ phi: 1.2, pValue: 0.21 }))).toContain('though not significantly (p = 0.210)');
  });
});

describe('spcFinding', () => {
  it('states the variation at the latest point, the special-cause count and the assurance against the target', () => {
    expect(spcFinding(indicator, spc('special_cause_improvement_high', [null, null, 'improvement', 'improvement'], 'consistent_fail'), [], 'quarter')).toBe(
      "Over the last 4 quarters the network's pooled value (p-chart) shows special cause improving variation (high) at its latest point; 2 of 4 points signal a special cause; it will consistently fail the 78.0 % target.",
    );
  });

  it('separates common cause throughout from common cause at the end of a series that had signals', () => {
    expect(spcFinding(indicator, spc('common_cause', [null, null]), [], 'month')).toContain('2 months');
    expect(spcFinding(indicator, spc('common_cause', [null, null]), [], 'month')).toContain('common cause variation only: no point signals a special cause');
    expect(spcFinding(indicator, spc('common_cause', ['concern', null]), [], 'quarter')).toContain('common cause variation at its latest point; 1 of 2 points signal');
  });

  it("adds an outlier's own chart when it shows a special cause", () => {
    const finding = spcFinding(indicator, spc('common_cause', [null]), [
      { organisation: { code: 'C', name: 'C Trust' }, variation: 'special_cause_improvement_high' },
      { organisation: { code: 'D', name: 'D Trust' }, variation: 'common_cause' },
    ], 'quarter');
    expect(finding).toContain("C Trust's own chart shows special cause improving variation (high).");
    expect(finding).not.toContain('D Trust');
  });
});

describe('indicatorFindings', () => {
  const inputs = {
    funnel: funnel(),
    measure: { pooled: { value: 74, lower: 73, upper: 75, providers: 4 }, all: { value: 72, lower: 71.8, upper: 72.2, providers: 6 } },
    networkSpc: spc('common_cause', [null, null]),
    outlierSpc: [],
    granularity: 'quarter' as const,
  };

  it('gives five findings with outliers and four without, in a fixed order', () => {
    const withOutliers = indicatorFindings({ ...inputs, outliers: [outlier('C', 'C Trust is above.')] });
    expect(withOutliers).toHaveLength(5);
    expect(withOutliers[1]).toBe('C Trust is above.');
    expect(indicatorFindings({ ...inputs, outliers: [] })).toHaveLength(4);
  });

  it('keeps three findings when neither the pooled value nor the SPC chart is available', () => {
    const findings = indicatorFindings({ ...inputs, outliers: [outlier('C', 'C.')], networkSpc: null, measure: { ...inputs.measure, pooled: { value: null, lower: null, upper: null, providers: 0 } } });
    expect(findings).toHaveLength(3);
  });

  it('names three outliers and counts the rest', () => {
    const findings = indicatorFindings({ ...inputs, outliers: ['A', 'B', 'C', 'D', 'E'].map((code) => outlier(code, `${code}.`)) });
    expect(findings[1]).toBe('A. B. C. 2 more are listed in the summary.');
  });
});
