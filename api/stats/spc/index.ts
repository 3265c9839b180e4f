// Statistical process control (Making Data Count; NHSRplotthedots 0.2.2): charts, rules, icons.
export type { ImprovementDirection, ControlLimits, LimitedPoint, SpcSegment } from './types';
export type { SegmentOptions } from './chart-segments';
export { xmrChart, XMR_LIMIT_FACTOR, XMR_TWO_SIGMA_FACTOR, MOVING_RANGE_SCREEN_FACTOR } from './xmr-chart';
export type { XmrOptions, XmrSegment, XmrChart } from './xmr-chart';
export type { AttributeChart, AttributePoint, AttributeSegment } from './attribute-chart';
export { pPrimeChart, uPrimeChart, laneySigmaZ, MOVING_RANGE_D2 } from './laney-chart';
export { attributeChartChoice, MOVING_RANGE_EFFECTIVE_DF, OVERDISPERSION_LEVEL, type AttributeChartChoice } from './attribute-chart-choice';
export { pChart, type PChartOptions } from './p-chart';
export { uChart, type UChartOptions } from './u-chart';
export { specialCauseRules, SPECIAL_CAUSE_RULES } from './special-cause-rules';
export type { SpecialCauseRule, SpecialCauseOptions, SpecialCauseResult, RulePoint } from './special-cause-rules';
export { classifySignal, type SignalDirection, type SpecialCause, type PointType, type PointClassification } from './point-type';
export { variationCategory, type VariationCategory } from './variation-category';
export { assuranceCategory, type AssuranceCategory, type AssuranceInput } from './assurance-category';
export { spcChart, type SpcChart, type SpcChartInput, type SpcPoint, type SpcSettings, type SpcCommonOptions } from './spc-chart';
