import { requireInput } from '../errors';
import type { FunnelLimit } from './types';

/** Which direction of the indicator is good, or 'no-judgement' for indicators that only describe. */
export type Polarity = 'higher-is-better' | 'lower-is-better' | 'no-judgement';

/** 'better' / 'worse' for indicators with a polarity, 'higher' / 'lower' for those without; 'as-expected' within the limit. */
export type Judgement = 'better' | 'as-expected' | 'worse' | 'higher' | 'lower';

/**
 * Judgement of a provider against the limit chosen to trigger one (the product defaults to 99.8 %,
 * Spiegelhalter's "alarm" level, with the 95 % "alert" band still reported): inclusive limits, then the
 * indicator's polarity (CQC and Fingertips practice: higher / lower where no polarity applies).
 */
export function funnelJudgement(value: number, limit: FunnelLimit, polarity: Polarity): Judgement {
  requireInput(!Number.isNaN(value), 'funnelJudgement', 'a value that is a number');
  return judgementOfSide(value > limit.upper ? 'higher' : value < limit.lower ? 'lower' : 'as-expected', polarity);
}

/** The judgement of a provider already placed above ('higher'), below ('lower') or within ('as-expected') the limit. */
export function judgementOfSide(side: 'higher' | 'lower' | 'as-expected', polarity: Polarity): Judgement {
  if (side === 'as-expected' || polarity === 'no-judgement') return side;
  return (side === 'higher') === (polarity === 'higher-is-better') ? 'better' : 'worse';
}
