/** A provider's place on one funnel: its band (within, above-95, below-99.8, …) and judgement at 99.8 %; both null when not judged. */
export interface Verdict {
  band: string | null;
  judgement: string | null;
}

export type BandChange = 'entered' | 'left' | 'band_changed';

export interface VerdictChange {
  change: BandChange;
  /** The judgement at 99.8 % differs, both judged (as expected ↔ worse, better, higher or lower). */
  verdictFlipped: boolean;
}

const notJudged: Verdict = { band: null, judgement: null };
const outside = (verdict: Verdict) => verdict.band !== null && verdict.band !== 'within';

/**
 * How one provider's verdict moved between two funnels (the outlier bands are those beyond the 95 % and
 * 99.8 % limits after the overdispersion adjustment): into a band from within or from not being judged,
 * out of the bands, or from one band to another (95 % ↔ 99.8 %, or across the centre). Null when it stayed
 * put, within or unjudged on both sides included.
 */
export function verdictChange(before: Verdict | undefined, after: Verdict | undefined): VerdictChange | null {
  const was = before ?? notJudged;
  const now = after ?? notJudged;
  const change: BandChange | null = !outside(was) && outside(now) ? 'entered' : outside(was) && !outside(now) ? 'left' : outside(was) && was.band !== now.band ? 'band_changed' : null;
  if (change === null) return null;
  return { change, verdictFlipped: was.judgement !== null && now.judgement !== null && was.judgement !== now.judgement };
}

/** Providers that became persistent outliers, and those that stopped being ones, between two sets. */
export function persistenceChanges(before: ReadonlySet<string>, after: ReadonlySet<string>): { started: string[]; ended: string[] } {
  return {
    started: [...after].filter((code) => !before.has(code)).sort(),
    ended: [...before].filter((code) => !after.has(code)).sort(),
  };
}
