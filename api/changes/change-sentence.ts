import { outliersByChance } from '../stats/chance';
import type { Verdict } from './verdict-diff';

export type ChangeKind = 'entered' | 'left' | 'band_changed' | 'persistent_new' | 'persistent_ended';

/** One recorded change as it leaves the product: codes, names, bands and judgements, never a figure. */
export interface ChangeItem {
  indicator: { code: string; name: string };
  period: string;
  organisation: { code: string; name: string };
  change: ChangeKind;
  before: Verdict;
  after: Verdict;
  revision: boolean;
  verdictFlipped: boolean;
}

function place(verdict: Verdict): string {
  if (verdict.band === null) return 'not judged (no published figures)';
  if (verdict.band === 'within') return 'within the 95 % limits';
  const [side, limit] = verdict.band.split('-');
  const judged = verdict.judgement && verdict.judgement !== 'as-expected' ? `, ${verdict.judgement === 'worse' || verdict.judgement === 'better' ? `${verdict.judgement} than expected` : verdict.judgement}` : '';
  return `${side} the ${limit} % limit${judged}`;
}

/** The change in one sentence, for the digest, the inbox and the e-mail: "RZA on VA-X in 2025/26 Q1: now above the 99.8 % limit, worse than expected (was within the 95 % limits)." */
export function changeSentence(item: ChangeItem): string {
  const subject = `${item.organisation.name} (${item.organisation.code}) on ${item.indicator.name} in ${item.period}`;
  if (item.change === 'persistent_new') return `${subject}: now a persistent outlier, outside the same 95 % limit in each of the last 4 periods.`;
  if (item.change === 'persistent_ended') return `${subject}: no longer a persistent outlier.`;
  const revised = item.revision ? ' after revised figures' : '';
  return `${subject}: now ${place(item.after)}${revised} (was ${place(item.before)}).`;
}

export interface DigestChance {
  /** Measures (indicator × period) with a change in the digest, of those the load touched. */
  measures: number;
  ofMeasures: number;
  /** Across the digest's measures: results judged and beyond 99.8 %, beside chance alone. */
  judged: number;
  beyond998: number;
  expected: number;
  lower: number;
  upper: number;
  sentence: string;
}

const format = (value: number) => (value >= 10 ? value.toFixed(0) : value.toPrecision(2).replace(/\.?0+$/, ''));

/**
 * The chance context of a digest (Jones, Ohlssen & Spiegelhalter 2008): on the measures it reports, how many
 * results lie beyond 99.8 % beside Binomial(results judged, 0.002), the number and range chance alone would give.
 */
export function digestChance(measures: number, ofMeasures: number, judged: number, beyond998: number): DigestChance {
  const chance = outliersByChance(judged, 0.998);
  return {
    measures,
    ofMeasures,
    judged,
    beyond998,
    expected: chance.expected,
    lower: chance.lower,
    upper: chance.upper,
    sentence: `${measures} of ${ofMeasures} ${ofMeasures === 1 ? 'measure' : 'measures'} changed. On them ${beyond998} of ${judged} results are beyond 99.8 %; about ${format(chance.expected)} expected by chance alone (range ${chance.lower}–${chance.upper}).`,
  };
}
