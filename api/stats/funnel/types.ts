/** A pair of control limits at one coverage (0.95 for 95 %, 0.998 for 99.8 %), on the scale of the indicator. */
export interface FunnelLimit {
  coverage: number;
  lower: number;
  upper: number;
}

/**
 * The variance-stabilising scales on which z-scores and overdispersion-adjusted limits are computed
 * (Spiegelhalter 2005, QSHC 14:347, Table 1; methods.md "Funnel plots"):
 * - 'log': ratio O/E, SHMI convention, y = ln(O/E), s = 1/√E;
 * - 'square-root': ratio O/E, CQC convention, y = √(O/E), s = 1/(2√E);
 * - 'arcsine': proportion x/n, y = asin√(x/n), s = 1/(2√n);
 * - 'proportion': proportion x/n untransformed, s = √(θ(1−θ)/n);
 * - 'log-ratio-of-counts': ratio of two counts O/E, y = ln((O+½)/(E+½)).
 */
export type FunnelScale = 'log' | 'square-root' | 'arcsine' | 'proportion' | 'log-ratio-of-counts';
