import type { FunnelScale } from '../stats';
import { empiricalBayesEstimates, fromFunnelScale, rankIntervals } from '../stats/shrinkage';

/** How many draws the simulated rank intervals take, from the fixed seed of rankIntervals. */
const rankDraws = 1000;
const z95 = 1.959963984540054;

export interface FunnelShrinkage {
  /** DerSimonian–Laird τ² on the funnel's scale, around the random-effects mean of all judged providers. */
  tau2: number;
  rankDraws: number;
  /** In the order of the funnel's providers. */
  providers: {
    shrunken: { value: number; lower: number; upper: number };
    rank: { estimate: number; lower: number; upper: number; of: number };
  }[];
}

/**
 * Empirical-Bayes shrunken estimates of a funnel's judged providers on its variance-stabilising scale (y, s),
 * back on the display scale (`displayFactor`: the multiplier, or θ × multiplier for a rate, whose scale is the
 * ratio O/(θn)) with 95 % intervals, and their rank intervals (1 = highest value) by simulation from the
 * posteriors (Marshall & Spiegelhalter 1998, BMJ 316:1701). Suppressed providers are not in the funnel, so
 * they shrink nothing and are ranked by nothing.
 */
export function funnelShrinkage(funnel: { scale: FunnelScale | 'linear'; providers: readonly { y: number; s: number }[] }, displayFactor: number): FunnelShrinkage {
  const { tau2, estimates } = empiricalBayesEstimates(funnel.providers.map((p) => p.y), funnel.providers.map((p) => p.s));
  const display = (y: number) => fromFunnelScale(funnel.scale, y) * displayFactor;
  const ranks = rankIntervals(estimates.map((e) => e.mean), estimates.map((e) => e.sd), { draws: rankDraws });
  const of = funnel.providers.length;
  return {
    tau2,
    rankDraws,
    providers: estimates.map((e, i) => ({
      shrunken: { value: display(e.mean), lower: display(e.mean - z95 * e.sd), upper: display(e.mean + z95 * e.sd) },
      rank: { estimate: ranks[i].expected, lower: ranks[i].lower, upper: ranks[i].upper, of },
    })),
  };
}
