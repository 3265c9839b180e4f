import { describe, expect, it } from 'vitest';
import { StatsInputError } from '../errors';
import { funnelLimits, type FunnelLimitModel } from './funnel-limits';
import { poissonCountLimits } from './poisson-count-limits';
import { transformedLimits } from './transformed-limits';

const base: FunnelLimitModel = {
  measure: 'ratio', scale: 'log', target: 1, coverages: [0.95, 0.998], poissonLimits: 'chi-squared', proportionLimits: 'exact', tau2: 0, phi: 1, multiplier: 1,
};

describe('funnelLimits', () => {
  it('ratio: θ × the Poisson limits about 1 at E (FunnelPlotR form), × multiplier; E = 15 gives 0.5596924–1.649348', () => {
    const [l95] = funnelLimits(base, 15).unadjusted;
    expect(l95.lower).toBeCloseTo(0.5596924, 6);
    expect(l95.upper).toBeCloseTo(1.649348, 6);
    const scaled = funnelLimits({ ...base, target: 1.1, multiplier: 100 }, 15).unadjusted[0];
    expect(scaled.lower).toBeCloseTo(l95.lower * 110, 10);
  });

  it('rate: Poisson limits on the expected count θn, divided by n (θ = 0.001, n = 10 000: χ²(0.025; 20)/2/n)', () => {
    const model: FunnelLimitModel = { ...base, measure: 'rate', target: 0.001 };
    const [l95] = funnelLimits(model, 10000).unadjusted;
    expect(l95.lower).toBeCloseTo(0.00047953886961324334, 15);
    expect(l95.upper).toBeCloseTo(0.0018390356042017777, 15);
    // The adjusted limits of a rate are θ × the ratio limits at E = θn.
    expect(funnelLimits(model, 10000).adjusted[0].upper).toBeCloseTo(0.001 * transformedLimits({ scale: 'log', target: 1, s: 1 / Math.sqrt(10), coverage: 0.95 }).upper, 15);
  });

  it("rate with 'exact-test' matches the count limits of poissonCountLimits", () => {
    const [l998] = funnelLimits({ ...base, measure: 'rate', target: 0.002, poissonLimits: 'exact-test' }, 5000).unadjusted.slice(1);
    expect(l998.upper * 5000).toBeCloseTo(poissonCountLimits(10, 0.998, 'exact-test').upper, 10);
  });

  it('proportion: exact or Wilson per the model, and FunnelPlotR\'s arcsine limits as the transformed ones with τ² = 0', () => {
    const model: FunnelLimitModel = { ...base, measure: 'proportion', scale: 'arcsine', target: 0.2 };
    expect(funnelLimits(model, 100).unadjusted[0].lower).toBeCloseTo(0.12665555210195584, 12);
    const arcsine = funnelLimits({ ...model, proportionLimits: 'arcsine' }, 100);
    expect(arcsine.unadjusted[0]).toEqual(arcsine.adjusted[0]);
  });

  it('applies τ² only to the adjusted limits', () => {
    const limits = funnelLimits({ ...base, tau2: 0.02 }, 100);
    expect(limits.adjusted[0].lower).toBeCloseTo(0.7121435873878059, 12);
    expect(limits.unadjusted[0]).toEqual(funnelLimits(base, 100).unadjusted[0]);
  });

  it('allows precision 0 only for a ratio of counts, where the limits span the scale', () => {
    const rc = funnelLimits({ ...base, measure: 'ratio-of-counts', scale: 'log-ratio-of-counts', target: 1.2 }, 0);
    expect(rc.adjusted[1]).toEqual({ coverage: 0.998, lower: 0, upper: Infinity });
    expect(() => funnelLimits(base, 0)).toThrow(new StatsInputError('funnelLimits requires a finite precision greater than zero'));
  });
});
