/**
 * Chart data from the JSON the API's own routes answer (only the fields a chart needs), so the server's
 * exports and the dashboard draw exactly the numbers the API returns.
 */
import type { AssuranceCategory, FunnelBand, FunnelCurve, Judgement, Polarity, SpecialCause, VariationCategory } from '../stats';
import { formatNumber } from './format';
import type { ChartAnnotation } from './annotation-marks';
import type { CaterpillarChartData, FunnelChartData, SpcChartData, SpineChartData, TartanChartData } from './types';

interface IndicatorJson {
  code: string;
  name: string;
  unit: string;
  multiplier: number;
  measureKind: string;
  domain?: string;
  source?: string | null;
  /** The target in force at the period's end, when the answer carries it. */
  target?: number | null;
}

interface PeriodJson {
  label: string;
}

export interface FunnelJson {
  indicator: IndicatorJson;
  period: PeriodJson;
  network: { code: string; name: string } | null;
  method: {
    measure: string;
    convention: string;
    adjustment: string;
    trimFraction: number;
    trimMethod: string;
    unadjustedLimits: string;
    suppressionThreshold: number;
    /** What the centre line is: all providers (the default), the network's published members, or the target. */
    benchmark?: 'all' | 'network' | 'target' | 'peers';
    benchmarkValue?: number;
  };
  target: number;
  overdispersion: { phi: number; tau2: number; applied: boolean };
  curves: FunnelCurve[];
  providers: FunnelProviderJson[];
  /** Every target line in force at the period's end. */
  targetLines?: TargetLineJson[];
  /** With fdr=true: the Benjamini–Hochberg limits, null curve when no provider passes. */
  fdr?: { level: number; pThreshold: number | null; zThreshold: number | null; curve: { precision: number; lower: number; upper: number }[] | null } | null;
}

export interface TargetLineJson {
  kind: 'constitutional' | 'operational' | 'local_ambition';
  label: string;
  value: number;
  source: string | null;
  validFrom: string | null;
  validTo: string | null;
}

/** One provider of `GET /api/funnel`; figures are null when suppressed. */
export interface FunnelProviderJson {
  code: string;
  name: string;
  suppressed: boolean;
  value: number | null;
  lower: number | null;
  upper: number | null;
  z: number | null;
  adjustedZ: number | null;
  precision: number | null;
  band: string | null;
  judgement: string | null;
  inNetwork: boolean | null;
  /** With shrinkage=true: the empirical-Bayes estimate and the rank, each with its 95 % interval; null when suppressed. */
  shrunken?: { value: number; lower: number; upper: number } | null;
  rank?: { estimate: number; lower: number; upper: number; of: number } | null;
}

export interface SpcJson {
  indicator: IndicatorJson & { target: number | null };
  organisation: { code: string; name: string };
  kind: string;
  settings: { baselineLength?: number | null; screenMovingRanges?: boolean | null; trendLength: number; runLength: number };
  points: {
    period: string;
    segment: number;
    suppressed: boolean;
    value: number | null;
    centre: number;
    lowerLimit: number | null;
    upperLimit: number | null;
    lowerTwoSigma: number | null;
    upperTwoSigma: number | null;
    specialCause: SpecialCause | null;
    target?: number | null;
    /** With benchmark=peers: the period's peer benchmark and the assurance judged against it. */
    peers?: { value: number | null; assurance: AssuranceCategory | null; reason: string | null };
  }[];
  variation: VariationCategory;
  assurance: AssuranceCategory | null;
  assuranceAgainst?: 'target' | 'peers';
  /** The provider's notes on this chart, as `GET /api/annotations` gives them; the exports fetch and add them. */
  annotations?: ChartAnnotation[];
}

export interface OverviewJson {
  network: { code: string; name: string };
  indicators: (IndicatorJson & { period: PeriodJson })[];
  providers: { code: string; name: string }[];
  cells: { indicator: string; organisation: string; suppressed: boolean; value: number | null; judgement: string | null }[];
}

export interface ProfileJson {
  organisation: { code: string; name: string };
  indicators: {
    indicator: IndicatorJson & { polarity: string };
    period: PeriodJson;
    reported: boolean;
    suppressed: boolean;
    value: number | null;
    benchmark: { value: number | null };
    funnel: { judgement?: string | null };
    peerRange: { minimum: number; lowerQuartile: number; upperQuartile: number; maximum: number } | null;
  }[];
}

const dataSource = (indicator: IndicatorJson) => indicator.source || 'Variation Atlas';

/**
 * The funnel's x-axis in the indicator's words where it has them: its unit's denominator for a rate
 * ("per 100,000 bed days" → "Bed days (denominator)"), expected deaths for a mortality ratio.
 */
export function precisionAxisLabel(measure: string, indicator: Pick<IndicatorJson, 'name' | 'unit' | 'domain'>): string {
  if (measure === 'ratio') return /mortality|death/i.test(`${indicator.domain ?? ''} ${indicator.name}`) ? 'Expected deaths' : 'Expected events';
  if (measure === 'proportion') return 'Cases counted (denominator)';
  if (measure === 'rate') {
    const per = /^per [\d,.]+\s+(.+)$/.exec(indicator.unit)?.[1];
    return per ? `${per[0].toUpperCase()}${per.slice(1)} (denominator)` : 'Person-time (denominator)';
  }
  return 'Precision (1 / standard error²)';
}

/** "Cancer treatment within 62 days (%)"; a ratio's name already says what it is. */
export function valueAxisLabel(indicator: Pick<IndicatorJson, 'name' | 'unit'>): string {
  return indicator.unit === '' || indicator.name.toLowerCase().includes(indicator.unit.toLowerCase()) ? indicator.name : `${indicator.name} (${indicator.unit})`;
}

/** A proportion runs from 0 to its multiplier (100 for a percentage); counts, ratios and rates start at 0. */
export function valueRange(funnel: Pick<FunnelJson, 'indicator' | 'method'>): { min?: number; max?: number } {
  if (funnel.method.measure === 'proportion') return { min: 0, max: funnel.indicator.multiplier };
  if (funnel.method.measure === 'normal') return {};
  return { min: 0 };
}

/** Every target line in force, and the indicator's own target when no line already stands at its value. */
export function targetLinesOf(funnel: Pick<FunnelJson, 'indicator' | 'targetLines'>): { label: string; value: number }[] {
  const lines = (funnel.targetLines ?? []).map((line) => ({ label: line.label, value: line.value }));
  const own = funnel.indicator.target;
  return own == null || lines.some((line) => line.value === own) ? lines : [{ label: 'Target', value: own }, ...lines];
}

const benchmarkLabels: Record<string, string> = { all: 'Benchmark (all providers)', network: 'Network benchmark', target: 'Target as benchmark' };
const limitsLabel: Record<string, string> = { exact: 'exact binomial', wilson: 'Wilson', arcsine: 'arcsine', 'chi-squared': 'exact Poisson', 'exact-test': 'exact Poisson test' };

/** The footnote every funnel-based export carries: limits, overdispersion and suppression, in one or two lines. */
export function funnelFootnote(funnel: FunnelJson): string {
  const { method, overdispersion } = funnel;
  const adjustment =
    method.adjustment === 'none' || !overdispersion.applied
      ? `no overdispersion adjustment (φ = ${overdispersion.phi.toFixed(2)})`
      : method.adjustment === 'additive'
        ? `additive random-effects adjustment, τ² = ${overdispersion.tau2.toPrecision(3)} (DerSimonian–Laird)`
        : `multiplicative adjustment, φ = ${overdispersion.phi.toFixed(2)}`;
  const suppressed = funnel.providers.filter((provider) => provider.suppressed).length;
  return [
    `Funnel limits 95 % and 99.8 % (${limitsLabel[method.unadjustedLimits] ?? method.unadjustedLimits}) about the benchmark; ${adjustment} on ${Math.round(method.trimFraction * 100)} % ${method.trimMethod === 'truncate' ? 'truncated' : 'winsorised'} z-scores (Spiegelhalter 2005, ${method.convention} convention).`,
    `Counts below ${method.suppressionThreshold} withheld${suppressed ? ` (${suppressed} provider${suppressed === 1 ? '' : 's'} not shown)` : ''}.`,
  ].join('\n');
}

const shown = (provider: FunnelJson['providers'][number]) => !provider.suppressed && provider.value !== null;

export function funnelChartData(funnel: FunnelJson): FunnelChartData {
  const { indicator } = funnel;
  const adjusted = funnel.method.adjustment !== 'none' && funnel.overdispersion.applied;
  return {
    title: indicator.name,
    subtitle: `${funnel.period.label}${funnel.network ? ` · ${funnel.network.name} highlighted` : ''} · ${funnel.providers.length} providers`,
    source: dataSource(indicator),
    footnote: funnelFootnote(funnel),
    unit: indicator.unit,
    xAxisLabel: precisionAxisLabel(funnel.method.measure, indicator),
    yAxisLabel: valueAxisLabel(indicator),
    target: funnel.target,
    benchmarkLabel: benchmarkLabels[funnel.method.benchmark ?? 'all'],
    valueRange: valueRange(funnel),
    targetLines: targetLinesOf(funnel),
    ...(funnel.fdr?.curve ? { fdrCurve: { label: `False discovery rate ${formatNumber(funnel.fdr.level * 100, 0)} % (Benjamini–Hochberg)`, points: funnel.fdr.curve } } : {}),
    curves: funnel.curves,
    providers: funnel.providers.filter(shown).map((provider) => ({
      id: provider.code,
      name: provider.name,
      value: provider.value!,
      lower: provider.lower ?? undefined,
      upper: provider.upper ?? undefined,
      precision: provider.precision!,
      z: provider.z!,
      ...(adjusted && provider.adjustedZ !== null ? { adjustedZ: provider.adjustedZ } : {}),
      band: provider.band as FunnelBand,
      judgement: provider.judgement as Judgement,
      highlighted: provider.inNetwork === true,
    })),
  };
}

export function caterpillarChartData(funnel: FunnelJson): CaterpillarChartData {
  const { indicator } = funnel;
  const shrunken = funnel.providers.some((provider) => provider.shrunken);
  return {
    title: indicator.name,
    subtitle: `${funnel.period.label} · ${shrunken ? 'shrunken estimates (empirical Bayes) with 95 % intervals and rank intervals' : 'providers ranked, with 95 % intervals'}`,
    source: dataSource(indicator),
    footnote: funnelFootnote(funnel),
    unit: indicator.unit,
    valueAxisLabel: valueAxisLabel(indicator),
    target: funnel.target,
    valueRange: valueRange(funnel),
    providers: funnel.providers
      .filter((provider) => shown(provider) && provider.lower !== null && provider.upper !== null)
      .map((provider) => ({
        id: provider.code,
        name: provider.name,
        value: provider.value!,
        lower: provider.lower!,
        upper: provider.upper!,
        ...(provider.shrunken ? { shrunken: provider.shrunken } : {}),
        ...(provider.rank ? { rank: provider.rank } : {}),
        judgement: provider.judgement as Judgement,
        highlighted: provider.inNetwork === true,
      })),
  };
}

export function spcChartData(spc: SpcJson): SpcChartData {
  const { indicator } = spc;
  const chart = { p: 'p-chart', u: 'u-chart', pprime: 'Laney p′ chart', uprime: 'Laney u′ chart', xmr: 'XmR chart' }[spc.kind] ?? spc.kind;
  return {
    title: `${indicator.name}: ${spc.organisation.name}`,
    subtitle: `${spc.points[0]?.period ?? ''} to ${spc.points.at(-1)?.period ?? ''} · ${chart}`,
    source: dataSource(indicator),
    footnote: `Statistical process control (NHS England, Making Data Count): limits at 3σ; special causes are a point beyond a limit, a run of ${spc.settings.runLength} on one side, a trend of ${spc.settings.trendLength}, or two of three beyond 2σ.`,
    unit: indicator.unit,
    yAxisLabel: `${indicator.name} (${indicator.unit})`,
    target: indicator.target,
    variation: spc.variation,
    assurance: spc.assurance,
    assuranceAgainst: spc.assuranceAgainst,
    annotations: spc.annotations,
    points: spc.points
      .filter((point) => point.value !== null)
      .map((point) => ({
        period: point.period,
        value: point.value!,
        segment: point.segment,
        centre: point.centre,
        lowerLimit: point.lowerLimit,
        upperLimit: point.upperLimit,
        lowerTwoSigma: point.lowerTwoSigma,
        upperTwoSigma: point.upperTwoSigma,
        specialCause: point.specialCause,
        target: point.target ?? null,
        ...(point.peers && { peers: point.peers.value }),
      })),
  };
}

export function tartanChartData(overview: OverviewJson): TartanChartData {
  const periods = [...new Set(overview.indicators.map((indicator) => indicator.period.label))];
  return {
    title: `${overview.network.name}: variation across indicators`,
    subtitle: periods.length === 1 ? periods[0] : `latest periods (${periods.join(', ')})`,
    source: [...new Set(overview.indicators.map(dataSource))].join("; "),
    footnote: 'Each cell: the provider against all providers of the indicator, judged at the 99.8 % funnel limit after overdispersion adjustment; * marks suppressed small numbers.',
    indicators: overview.indicators.map((indicator) => ({ id: indicator.code, name: indicator.name })),
    providers: overview.providers.map((provider) => ({ id: provider.code, name: provider.name })),
    cells: overview.cells.map((cell) => ({
      providerId: cell.organisation,
      indicatorId: cell.indicator,
      judgement: cell.judgement as Judgement | null,
      valueText: cell.value === null ? undefined : formatNumber(cell.value, 1),
      suppressed: cell.suppressed,
    })),
  };
}

export function spineChartData(profile: ProfileJson): SpineChartData {
  const entries = profile.indicators.filter((entry) => entry.peerRange !== null && entry.benchmark.value !== null);
  const periods = [...new Set(entries.map((entry) => entry.period.label))];
  return {
    title: `${profile.organisation.name}: profile against all providers`,
    subtitle: periods.length === 1 ? periods[0] : `latest periods (${periods.join(', ')})`,
    source: [...new Set(entries.map((entry) => dataSource(entry.indicator)))].join('; '),
    footnote: 'Bar: range and interquartile range of all providers; line: the benchmark pooled over all providers; marker: this provider, coloured by its funnel judgement at 99.8 % after overdispersion adjustment.',
    providerName: profile.organisation.name,
    benchmarkName: 'All providers',
    indicators: entries.map((entry) => ({
      id: entry.indicator.code,
      name: entry.indicator.name,
      unit: entry.indicator.unit,
      polarity: entry.indicator.polarity.replace(/_/g, '-') as Polarity,
      benchmark: entry.benchmark.value!,
      peers: entry.peerRange!,
      value: entry.value,
      judgement: (entry.funnel.judgement ?? null) as Judgement | null,
      suppressed: entry.suppressed,
    })),
  };
}
