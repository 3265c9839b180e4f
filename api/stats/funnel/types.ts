import type { FunnelBand } from './funnel-band';
import type { Judgement } from './judgement';

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

/**
 * Where one provider sits on a funnel, whatever the measure: its precision (the x-axis), y and s on the
 * funnel's scale, z = (y − θ)/s, the trimmed z that fed φ, and its band and judgement against the limits.
 */
export interface FunnelPosition {
  /** The x-axis: E for ratios, n for proportions and rates, 1/s² for the normal measure. */
  precision: number;
  y: number;
  s: number;
  z: number;
  /** The z used for φ: winsorised, or null when truncation dropped the provider. */
  trimmedZ: number | null;
  /** Winsorised (not strictly inside the quantiles) or truncated. */
  trimmed: boolean;
  band: FunnelBand;
  judgement: Judgement;
}
