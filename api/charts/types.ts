/**
 * Plain inputs of the chart builders: numbers and words already computed by api/stats and the
 * API, on the display scale (values × multiplier), so the server's exports and the dashboard draw
 * from the same data. Every field is JSON-friendly (no Set, Map or Date) because the web receives
 * these over HTTP.
 */
import type { AssuranceCategory, FunnelBand, FunnelCurve, Judgement, Polarity, SpecialCause, VariationCategory } from '../stats';
import type { ChartAnnotation } from './annotation-marks';

/** The words around every chart: heading, period, and the footnote lines of a board paper. */
export interface ChartText {
  title: string;
  /** Usually the period, e.g. "April 2024 to March 2025". */
  subtitle: string;
  /** Drawn as "Source: …" in the footnote. */
  source: string;
  /** The method line(s) under the source; "\n" starts a new line. */
  footnote: string;
}

/** A provider as the funnel and caterpillar draw it. */
export interface ProviderMeasurement {
  id: string;
  name: string;
  /** On the display scale (× multiplier). */
  value: number;
  /** The provider's own interval at `intervalCoverage`, when known. */
  lower?: number;
  upper?: number;
  judgement: Judgement;
  /** A member of the chosen network: drawn emphasised and labelled, the others faded. */
  highlighted?: boolean;
  /** Small-number suppression: the provider is left off the chart and counted in the footnote. */
  suppressed?: boolean;
}

export interface FunnelProvider extends ProviderMeasurement {
  /** The x-axis: expected count for ratios, denominator for proportions and rates, 1/SE² for normal measures. */
  precision: number;
  /** The unadjusted z-score. */
  z: number;
  /** The z-score after overdispersion adjustment, on which the judgement rests; left out when not adjusted. */
  adjustedZ?: number;
  band: FunnelBand;
}

/** A target in force, drawn as a labelled horizontal line, e.g. "Operational standard: 85 %". */
export interface TargetLine {
  label: string;
  /** On the display scale. */
  value: number;
}

/** The Benjamini–Hochberg false discovery rate limits: one z threshold drawn as a lower and an upper curve. */
export interface FdrCurve {
  label: string;
  points: { precision: number; lower: number; upper: number }[];
}

export interface FunnelChartData extends ChartText {
  /** Appended to values in tooltips and the axis name: "%", "per 100,000", or "". */
  unit: string;
  xAxisLabel: string;
  yAxisLabel: string;
  /** The benchmark on the display scale. */
  target: number;
  /** What the benchmark is, e.g. "Network benchmark"; "Benchmark" when left out. */
  benchmarkLabel?: string;
  providers: FunnelProvider[];
  /** Limit curves on the display scale, as funnelAnalysis returns them. */
  curves: FunnelCurve[];
  /** Decimal places of values in tooltips and labels; 1 when left out. */
  decimalPlaces?: number;
  /** Coverage of the providers' own intervals; 0.95 when left out. */
  intervalCoverage?: number;
  /** 'linear' when left out; 'log' spreads providers whose sizes differ by orders of magnitude. */
  xAxisScale?: 'linear' | 'log';
  /** The values the measure can take (0 to 100 for a percentage): axis and curves stop there. */
  valueRange?: { min?: number; max?: number };
  /** Every target in force, each drawn as a labelled line. */
  targetLines?: TargetLine[];
  /** Drawn when the false discovery rate was asked for. */
  fdrCurve?: FdrCurve;
}

export interface SpcChartPoint {
  period: string;
  value: number;
  /** Index of the rebase segment the point belongs to; each segment has its own centre and limits. */
  segment: number;
  centre: number;
  /** null when the limit cannot be estimated (a one-point baseline). */
  lowerLimit: number | null;
  upperLimit: number | null;
  lowerTwoSigma?: number | null;
  upperTwoSigma?: number | null;
  /** Making Data Count's colour of the point; null for common cause. */
  specialCause: SpecialCause | null;
  /** The target in force at the period's end, drawn as a step line; null or absent without one. */
  target?: number | null;
  /** The peer group's pooled value in the period when the chart is judged against peers; null where it has none. */
  peers?: number | null;
}

export interface SpcChartData extends ChartText {
  unit: string;
  yAxisLabel: string;
  points: SpcChartPoint[];
  target?: number | null;
  /** The variation icon of the most recent point, as variationCategory returns it. */
  variation: VariationCategory;
  /** The assurance icon, or null without a target or a direction of improvement. */
  assurance: AssuranceCategory | null;
  /** What the assurance icon judges against: the target (default) or the peers' pooled value. */
  assuranceAgainst?: 'target' | 'peers';
  decimalPlaces?: number;
  /** Dated notes drawn at their periods and written out in the footnote (annotation-marks.ts). */
  annotations?: ChartAnnotation[];
}

export interface CaterpillarProvider extends ProviderMeasurement {
  lower: number;
  upper: number;
  /** The empirical-Bayes estimate with its 95 % interval, drawn in place of the raw value when present. */
  shrunken?: { value: number; lower: number; upper: number };
  /** The provider's rank (1 = highest value) with its 95 % interval, out of `of`. */
  rank?: { estimate: number; lower: number; upper: number; of: number };
}

export interface CaterpillarChartData extends ChartText {
  unit: string;
  valueAxisLabel: string;
  target: number;
  valueRange?: { min?: number; max?: number };
  providers: CaterpillarProvider[];
  decimalPlaces?: number;
  intervalCoverage?: number;
}

export interface TartanIndicator {
  id: string;
  name: string;
}

export interface TartanProvider {
  id: string;
  name: string;
  highlighted?: boolean;
}

/** One provider's result on one indicator. A provider × indicator with no cell is drawn as "no data". */
export interface TartanCell {
  providerId: string;
  indicatorId: string;
  /** null when there is a value but no judgement (too few providers, say). */
  judgement: Judgement | null;
  /** The value as the cell should print it, e.g. "12.4". */
  valueText?: string;
  suppressed?: boolean;
}

export interface TartanChartData extends ChartText {
  indicators: TartanIndicator[];
  providers: TartanProvider[];
  cells: TartanCell[];
}

/** The spread of all providers (the peers) on one indicator. */
export interface PeerRange {
  minimum: number;
  lowerQuartile: number;
  upperQuartile: number;
  maximum: number;
}

export interface SpineIndicator {
  id: string;
  name: string;
  unit: string;
  /** Mirrors the scale of lower-is-better indicators so that better is always to the right. */
  polarity: Polarity;
  benchmark: number;
  peers: PeerRange;
  /** The profiled provider's value; null when it has none. */
  value: number | null;
  judgement: Judgement | null;
  suppressed?: boolean;
  decimalPlaces?: number;
}

export interface SpineChartData extends ChartText {
  providerName: string;
  /** The benchmark's name in labels, e.g. "England" or the network's name. */
  benchmarkName: string;
  indicators: SpineIndicator[];
}

/** Text fields every data item carries for tooltips, so the dashboard can show them without re-deriving. */
export interface TooltipFields {
  tooltipTitle: string;
  tooltipLines: string[];
}
