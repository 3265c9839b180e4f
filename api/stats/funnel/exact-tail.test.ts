import { describe, expect, it } from 'vitest';
import { bandFromTail, exactTail } from './exact-tail';
import { funnelBand } from './funnel-band';
import { funnelLimits, type FunnelLimitModel } from './funnel-limits';

const coverages = [0.95, 0.998];
const model = (measure: FunnelLimitModel['measure'], target: number, poissonLimits: FunnelLimitModel['poissonLimits'] = 'chi-squared'): FunnelLimitModel => ({
  measure, scale: measure === 'proportion' ? 'arcsine' : 'log', target, coverages, poissonLimits, proportionLimits: 'exact', tau2: 0, phi: 1, multiplier: 1,
});

/** The band the limits give, and the band the tail gives where it decides. */
function bothBands(m: FunnelLimitModel, precision: number, ratio: number) {
  const tail = exactTail(m, precision, ratio);
  const fromTail = tail && bandFromTail(tail, m.coverages, 0.998);
  return { limits: funnelBand(ratio, funnelLimits(m, precision).unadjusted), tail: fromTail?.band ?? null };
}

describe('exactTail and bandFromTail: bands against exact limits without inverting them', () => {
  // Without this the API's bands-only funnel could band a provider differently from its drawn limits.
  it.each([
    ['proportion exact, θ = 0.12', model('proportion', 0.12), [20, 339, 5000]],
    ['proportion exact, θ = 0.004 (m < 1 at small n)', model('proportion', 0.004), [30, 800, 20000]],
    ['ratio, χ² limits (FunnelPlotR, SHMI)', model('ratio', 1), [0.4, 15, 523.7]],
    ['ratio, exact-test limits (PHEindicatormethods)', model('ratio', 1.2, 'exact-test'), [0.4, 15, 523.7]],
    ['rate, exact-test limits', model('rate', 0.0007, 'exact-test'), [900, 40000, 3e6]],
  ] as const)('%s: the same band as the limits at every value across the funnel', (_, m, precisions) => {
    for (const precision of precisions) {
      const [outer] = funnelLimits(m, precision).unadjusted.slice(-1);
      const top = Math.min(m.measure === 'proportion' ? 1 : Infinity, outer.upper * 1.3);
      for (let k = 1; k <= 200; k++) {
        const { limits, tail } = bothBands(m, precision, (top * k) / 200);
        if (tail !== null) expect(tail, `${precision} ${(top * k) / 200}`).toBe(limits);
      }
    }
  });

  it('defers to the limits on a limit (inclusive) and where a limit may round onto the value (0, or a proportion near 1)', () => {
    const m = model('proportion', 0.12);
    const [l95] = funnelLimits(m, 339).unadjusted;
    const onLimit = exactTail(m, 339, l95.upper);
    expect(onLimit).not.toBeNull();
    expect(onLimit && bandFromTail(onLimit, coverages, 0.998)).toBeNull();
    expect(exactTail(m, 339, 0)).toBeNull();
    expect(exactTail(model('proportion', 0.9999), 12, 1)).toBeNull();
    expect(exactTail(model('ratio', 1), 0.02, 0)).toBeNull();
  });

  it('is null where the unadjusted limits are closed forms: Wilson, arcsine, ratio of counts', () => {
    expect(exactTail({ ...model('proportion', 0.2), proportionLimits: 'wilson' }, 100, 0.3)).toBeNull();
    expect(exactTail({ ...model('proportion', 0.2), proportionLimits: 'arcsine' }, 100, 0.3)).toBeNull();
    expect(exactTail({ ...model('ratio', 1), measure: 'ratio-of-counts' }, 100, 1.5)).toBeNull();
  });

  it('a value at the target is within; one tail probability decides every coverage and the judgement', () => {
    expect(exactTail(model('ratio', 1), 20, 1)).toEqual({ side: null, probability: 1 });
    expect(bandFromTail({ side: 'above', probability: 0.01 }, coverages, 0.998)).toEqual({ band: 'above-95', beyondJudgement: false });
    expect(bandFromTail({ side: 'below', probability: 0.0002 }, coverages, 0.998)).toEqual({ band: 'below-99.8', beyondJudgement: true });
    expect(bandFromTail({ side: 'below', probability: 0.3 }, coverages, 0.95)).toEqual({ band: 'within', beyondJudgement: false });
  });
});
