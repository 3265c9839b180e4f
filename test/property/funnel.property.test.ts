import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  additiveOverdispersion,
  funnelAnalysis,
  funnelLimits,
  multiplicativeOverdispersion,
  type FunnelAnalysisInput,
  type FunnelLimit,
  type FunnelLimitModel,
} from '../../api/stats';

/**
 * Properties of funnel plots (Spiegelhalter 2005) that hold for any providers: limits contain the target
 * and widen as precision falls, the 99.8 % limits enclose the 95 %, overdispersion is never negative and
 * widens the limits, and nothing depends on the order the providers arrive in (a database gives no order).
 */

const close = (actual: number, expected: number, tolerance = 1e-9) =>
  Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));

const coverages = [0.95, 0.998] as const;

/** A limit model for one measure with its natural scale, a plausible target and some overdispersion. */
const limitModel: fc.Arbitrary<FunnelLimitModel> = fc
  .record({
    measure: fc.constantFrom('ratio', 'proportion', 'rate'),
    proportion: fc.double({ min: 0.01, max: 0.99, noNaN: true }),
    rate: fc.double({ min: 1e-5, max: 0.5, noNaN: true }),
    poissonLimits: fc.constantFrom('chi-squared', 'exact-test'),
    proportionLimits: fc.constantFrom('exact', 'wilson', 'arcsine'),
    phi: fc.double({ min: 1, max: 10, noNaN: true }),
    tau2: fc.double({ min: 0, max: 0.05, noNaN: true }),
  })
  .map((m) => ({
    measure: m.measure,
    scale: m.measure === 'proportion' ? 'arcsine' : 'square-root',
    target: m.measure === 'ratio' ? 1 : m.measure === 'proportion' ? m.proportion : m.rate,
    coverages,
    poissonLimits: m.poissonLimits,
    proportionLimits: m.proportionLimits,
    phi: m.phi,
    tau2: m.tau2,
    multiplier: 1,
  }));

/** Two precisions, smaller first; rates are per unit of population, so theirs run larger. */
const precisionPair = fc
  .tuple(fc.double({ min: 1, max: 1e6, noNaN: true }), fc.double({ min: 1.01, max: 100, noNaN: true }))
  .map(([precision, factor]) => [precision, precision * factor] as const);

function expectEncloses(wide: FunnelLimit, narrow: FunnelLimit): void {
  expect(wide.lower).toBeLessThanOrEqual(narrow.lower + 1e-12);
  expect(wide.upper).toBeGreaterThanOrEqual(narrow.upper - 1e-12);
}

describe('funnel limits', () => {
  it('contain the target, and the 99.8 % limits enclose the 95 %', () => {
    fc.assert(
      fc.property(limitModel, fc.double({ min: 1, max: 1e6, noNaN: true }), (model, rawPrecision) => {
        const precision = model.measure === 'rate' ? rawPrecision / model.target : rawPrecision;
        const limits = funnelLimits(model, precision);
        for (const kind of [limits.unadjusted, limits.adjusted]) {
          for (const limit of kind) {
            expect(limit.lower).toBeLessThanOrEqual(model.target * (1 + 1e-12));
            expect(limit.upper).toBeGreaterThanOrEqual(model.target * (1 - 1e-12));
          }
          expectEncloses(kind[1], kind[0]);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('widen as precision falls', () => {
    fc.assert(
      fc.property(limitModel, precisionPair, (model, [small, large]) => {
        const scale = model.measure === 'rate' ? 1 / model.target : 1;
        const atSmall = funnelLimits(model, small * scale);
        const atLarge = funnelLimits(model, large * scale);
        coverages.forEach((_, c) => {
          expectEncloses(atSmall.unadjusted[c], atLarge.unadjusted[c]);
          expectEncloses(atSmall.adjusted[c], atLarge.adjusted[c]);
        });
      }),
      { numRuns: 200 },
    );
  });

  it('widen with overdispersion: a larger φ or τ² never narrows the adjusted limits', () => {
    fc.assert(
      fc.property(limitModel, fc.double({ min: 1, max: 1e5, noNaN: true }), fc.double({ min: 1, max: 5, noNaN: true }), (model, precision, factor) => {
        const base = funnelLimits(model, precision).adjusted;
        const wider = [
          funnelLimits({ ...model, phi: model.phi * factor }, precision).adjusted,
          funnelLimits({ ...model, tau2: model.tau2 * factor + 1e-4 }, precision).adjusted,
        ];
        for (const limits of wider) coverages.forEach((_, c) => expectEncloses(limits[c], base[c]));
      }),
      { numRuns: 200 },
    );
  });
});

describe('overdispersion', () => {
  const zScores = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 200 });

  it('φ ≥ 0 and τ² ≥ 0, with a p-value in [0, 1]', () => {
    fc.assert(
      fc.property(zScores, fc.array(fc.double({ min: 1e-4, max: 10, noNaN: true }), { minLength: 200, maxLength: 200 }), (z, pool) => {
        const s = z.map((_, i) => pool[i]);
        const additive = additiveOverdispersion(z, s);
        expect(additive.phi).toBeGreaterThanOrEqual(0);
        expect(additive.tau2).toBeGreaterThanOrEqual(0);
        expect(additive.pValue).toBeGreaterThanOrEqual(0);
        expect(additive.pValue).toBeLessThanOrEqual(1);
        expect(additive.phi).toBe(multiplicativeOverdispersion(z).phi);
      }),
      { numRuns: 300 },
    );
  });

  it('φ scales with the square of the z-scores and ignores their order', () => {
    fc.assert(
      fc.property(zScores, fc.double({ min: 0.1, max: 10, noNaN: true }), (z, factor) => {
        const phi = multiplicativeOverdispersion(z).phi;
        expect(close(multiplicativeOverdispersion(z.map((value) => value * factor)).phi, phi * factor * factor)).toBe(true);
        expect(close(multiplicativeOverdispersion([...z].reverse()).phi, phi)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

/** Providers of one measure with unique ids and counts that measure accepts. */
const funnelInput: fc.Arbitrary<FunnelAnalysisInput> = fc
  .record({
    measure: fc.constantFrom('ratio', 'proportion', 'rate'),
    convention: fc.constantFrom('spiegelhalter', 'cqc', 'shmi'),
    adjustment: fc.constantFrom('none', 'multiplicative', 'additive', undefined),
    trimFraction: fc.constantFrom(0, 0.05, 0.1, 0.2),
    trimMethod: fc.constantFrom('winsorise', 'truncate', undefined),
    polarity: fc.constantFrom('higher-is-better', 'lower-is-better', 'no-judgement'),
    counts: fc.array(fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: 2, maxLength: 40 }),
  })
  .filter((input) => input.convention !== 'shmi' || input.measure === 'ratio')
  // A pooled target of 0 (no provider with an event) is refused by design; rates and proportions need one event.
  .filter((input) => input.counts.some(([, fraction]) => fraction > 0.01))
  .map(({ counts, ...input }) => ({
    ...input,
    providers: counts.map(([size, fraction], i) => {
      if (input.measure === 'proportion') return { id: `P${i}`, numerator: Math.round(size * fraction), denominator: size };
      if (input.measure === 'rate') return { id: `P${i}`, numerator: Math.round(size * fraction * 0.2), denominator: size * 100 };
      return { id: `P${i}`, numerator: Math.round(size * fraction * 2), denominator: Math.max(0.5, size * 0.5 + fraction) };
    }),
  }))
  .filter((input) => input.providers.some((p) => p.numerator > 0));

describe('funnelAnalysis', () => {
  it('gives every provider the same result whatever order the providers come in', () => {
    const withOrder = funnelInput.chain((input) =>
      fc.tuple(fc.constant(input), fc.shuffledSubarray([...input.providers], { minLength: input.providers.length, maxLength: input.providers.length })),
    );
    fc.assert(
      fc.property(withOrder, ([input, shuffled]) => {
        const original = funnelAnalysis({ ...input, providerLimits: false });
        const reordered = funnelAnalysis({ ...input, providers: shuffled, providerLimits: false });
        expect(close(reordered.target, original.target)).toBe(true);
        expect(close(reordered.overdispersion.phi, original.overdispersion.phi)).toBe(true);
        expect(close(reordered.overdispersion.tau2, original.overdispersion.tau2)).toBe(true);
        expect(reordered.overdispersion.applied).toBe(original.overdispersion.applied);
        const byId = new Map(reordered.providers.map((p) => [p.id, p]));
        expect(byId.size).toBe(original.providers.length);
        for (const provider of original.providers) {
          const moved = byId.get(provider.id)!;
          expect(close(moved.z, provider.z)).toBe(true);
          expect([moved.band, moved.judgement, moved.trimmed]).toEqual([provider.band, provider.judgement, provider.trimmed]);
        }
      }),
      { numRuns: 40 },
    );
  });

  it('gives each z-score the sign of value − target, and judges only providers beyond the 99.8 % limit, in their direction', () => {
    fc.assert(
      fc.property(funnelInput, (input) => {
        const result = funnelAnalysis({ ...input, providerLimits: false });
        for (const provider of result.providers) {
          const difference = provider.value - result.target;
          if (Math.abs(difference) > 1e-9 * Math.max(1, result.target)) expect(Math.sign(provider.z)).toBe(Math.sign(difference));
          const beyond = provider.band === 'above-99.8' ? 'higher' : provider.band === 'below-99.8' ? 'lower' : 'as-expected';
          const expected =
            beyond === 'as-expected' || input.polarity === 'no-judgement' ? beyond : (beyond === 'higher') === (input.polarity === 'higher-is-better') ? 'better' : 'worse';
          expect(provider.judgement).toBe(expected);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('bands the same with and without per-provider limits (the fast path decides as the limits do)', () => {
    fc.assert(
      fc.property(funnelInput, (input) => {
        const fast = funnelAnalysis({ ...input, providerLimits: false });
        const full = funnelAnalysis(input);
        expect(fast.providers.map((p) => p.band)).toEqual(full.providers.map((p) => p.band));
      }),
      { numRuns: 40 },
    );
  });

  it('keeps proportions within [0, multiplier] and scales values, not bands, with the multiplier', () => {
    fc.assert(
      fc.property(funnelInput.filter((input) => input.measure === 'proportion'), (input) => {
        const unit = funnelAnalysis({ ...input, providerLimits: false });
        const percent = funnelAnalysis({ ...input, multiplier: 100, providerLimits: false });
        percent.providers.forEach((provider, i) => {
          expect(provider.value).toBeGreaterThanOrEqual(0);
          expect(provider.value).toBeLessThanOrEqual(100);
          expect(close(provider.value, unit.providers[i].value * 100)).toBe(true);
          expect(provider.band).toBe(unit.providers[i].band);
        });
      }),
      { numRuns: 60 },
    );
  });
});
