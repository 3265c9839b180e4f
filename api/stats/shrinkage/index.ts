export { empiricalBayesEstimates, type EmpiricalBayesEstimates, type PosteriorEstimate } from './empirical-bayes';
export { rankIntervals, type RankInterval, type RankIntervalOptions } from './rank-intervals';
export { seededNormal } from './seeded-normal';
export { fromFunnelScale } from './from-funnel-scale';
