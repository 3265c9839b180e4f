/** A point estimate with its two-sided confidence interval, all on the same scale. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/** How a Poisson count's interval was computed, reported so outputs can name the method. */
export type PoissonMethod = 'exact' | 'byar';

/** The choice offered to callers: always exact, always Byar's, or PHE's rule (exact below 10, Byar's from 10). */
export type PoissonMethodChoice = PoissonMethod | 'exact-below-10';
