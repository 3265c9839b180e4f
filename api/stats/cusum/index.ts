export { cusumAverageRunLength } from './cusum-average-run-length';
export { cusumThreshold } from './cusum-threshold';
export { standardisedCusum } from './standardised-cusum';
export type { CusumSignal, CusumStep } from './standardised-cusum';
export { Z_SCORE_LIMITS, zScoreChart } from './z-score-chart';
export type { ZScoreChart } from './z-score-chart';
