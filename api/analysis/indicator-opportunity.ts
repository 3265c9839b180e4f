import { funnelAnalysis, type FunnelConvention, type OverdispersionAdjustment, type TrimMethod } from '../stats';
import { opportunity } from '../stats/opportunity';
import { empiricalBayesEstimates, fromFunnelScale } from '../stats/shrinkage';
import { FunnelNotAvailableError } from './indicator-funnel';
import { peerBenchmark, type PeerBenchmark } from './peer-benchmark';
import { pooledValue } from './pooled-value';
import type { IndicatorDefinition, ProviderObservation } from './types';

export type OpportunityBenchmark = 'pooled' | 'peers' | 'upper-quartile' | 'target';

export interface IndicatorOpportunityOptions {
  convention: FunnelConvention;
  adjustment: OverdispersionAdjustment;
  trimFraction: number;
  trimMethod?: TrimMethod;
  benchmark: OpportunityBenchmark;
  /** With benchmark=target: the standard in force, display scale. */
  target?: number | null;
  /** With benchmark=peers. */
  peers?: { codes: ReadonlySet<string>; of: string | null };
  /** shrunken (default): empirical-Bayes estimates; observed: each provider's own rate with its sampling error. */
  estimate: 'shrunken' | 'observed';
}

export interface ProviderOpportunityRow {
  code: string;
  name: string;
  suppressed: boolean;
  /** Events (numerator, or observed for a ratio) and what the rate is per (denominator, or expected). */
  events: number | null;
  size: number | null;
  /** Observed and estimated (shrunken) values on the display scale. */
  value: number | null;
  estimate: number | null;
  /** Events or patients at the benchmark minus as now, in the better direction; negative when better than the benchmark. */
  gap: number | null;
  opportunity: number | null;
  lower: number | null;
  upper: number | null;
  /** 1 = the largest opportunity among the members with one. */
  rank: number | null;
}

export interface IndicatorOpportunity {
  benchmark: { kind: OpportunityBenchmark; value: number; peers?: Omit<PeerBenchmark, 'rows' | 'value'> };
  /** What the opportunity counts: fewer events where lower is better, more patients where higher is better. */
  counts: 'fewer-events' | 'more-patients';
  shrinkageTau2: number | null;
  providers: ProviderOpportunityRow[];
  total: { opportunity: number; lower: number; upper: number; providers: number; withheld: number; noCounts: number };
}

const measures = { proportion: 'proportion', crude_rate: 'rate', indirectly_standardised_ratio: 'ratio' } as const;

/**
 * The opportunity of a group of providers (a network's members) in one indicator and period: for each, the
 * events or patients that would differ if it performed at the benchmark (opportunity in api/stats), from its
 * empirical-Bayes estimate on the funnel's scale (DerSimonian–Laird τ² over every published provider, as the
 * funnel's shrinkage), so chance does not inflate it. Benchmarks: pooled (every published provider), peers (a
 * peer group's published members, at least three), upper-quartile (the better quartile of the providers'
 * estimates: the 75th percentile where higher is better, the 25th where lower is) and target. Counts only:
 * means and directly standardised rates publish no events to count. Withheld providers (disclosure control
 * has removed their figures before this runs) have no opportunity, are in no total and shape no benchmark.
 */
export function indicatorOpportunity(indicator: IndicatorDefinition, rows: readonly ProviderObservation[], members: ReadonlySet<string>, options: IndicatorOpportunityOptions): IndicatorOpportunity {
  if (!(indicator.measureKind in measures)) {
    throw new FunnelNotAvailableError(`${indicator.code} is a ${indicator.measureKind.replace(/_/g, ' ')}, which publishes no counts of events to size an opportunity in`);
  }
  if (indicator.polarity === 'no_judgement') throw new FunnelNotAvailableError(`${indicator.code} has no better direction, so no opportunity`);
  const measure = measures[indicator.measureKind as keyof typeof measures];
  const ratio = measure === 'ratio';
  const counted = rows.filter((row) => !row.suppressed && (ratio ? row.observed !== null && row.expected !== null : row.numerator !== null && row.denominator !== null));
  if (counted.length === 0) throw new FunnelNotAvailableError(`no provider has the counts an opportunity of ${indicator.code} needs in this period`);
  const events = (row: ProviderObservation) => (ratio ? row.observed! : row.numerator!);
  const sizeOf = (row: ProviderObservation) => (ratio ? row.expected! : row.denominator!);
  const polarity = indicator.polarity === 'higher_is_better' ? 'higher-is-better' : 'lower-is-better';
  // The funnel around the providers' own centre gives each its y and s on the convention's scale.
  const funnel = funnelAnalysis({
    measure,
    providers: counted.map((row) => ({ id: row.organisationCode, numerator: events(row), denominator: sizeOf(row) })),
    convention: options.convention,
    adjustment: options.adjustment,
    trimFraction: options.trimFraction,
    trimMethod: options.trimMethod,
    polarity,
    multiplier: indicator.multiplier,
    providerLimits: false,
    curves: false,
  });
  // A rate's funnel scale is the ratio O/(θn): back on the natural scale it is × θ.
  const rateFactor = measure === 'rate' ? funnel.target / indicator.multiplier : 1;
  const toNatural = (y: number) => fromFunnelScale(funnel.scale, y) * rateFactor;
  const shrunken = empiricalBayesEstimates(funnel.providers.map((p) => p.y), funnel.providers.map((p) => p.s));
  const posterior = funnel.providers.map((p, i) => (options.estimate === 'shrunken' ? { mean: shrunken.estimates[i].mean, sd: shrunken.estimates[i].sd } : { mean: p.y, sd: p.s }));

  let peers: PeerBenchmark | undefined;
  let benchmark: number;
  switch (options.benchmark) {
    case 'pooled':
      benchmark = pooledValue(indicator, counted).value! / indicator.multiplier;
      break;
    case 'peers':
      peers = peerBenchmark(indicator, rows, options.peers!);
      benchmark = peers.value / indicator.multiplier;
      break;
    case 'upper-quartile':
      benchmark = quantile(posterior.map((p) => toNatural(p.mean)).sort((a, b) => a - b), polarity === 'higher-is-better' ? 0.75 : 0.25);
      break;
    case 'target':
      if (options.target === null || options.target === undefined) throw new FunnelNotAvailableError(`${indicator.code} has no target in force in this period`);
      benchmark = options.target / indicator.multiplier;
      break;
  }

  const byCode = new Map(counted.map((row) => [row.organisationCode, row]));
  const index = new Map(funnel.providers.map((p, i) => [p.id, i]));
  const judged = [...members].filter((code) => byCode.has(code));
  const sized = opportunity({
    providers: judged.map((code) => ({ id: code, size: sizeOf(byCode.get(code)!), ...posterior[index.get(code)!] })),
    toNatural,
    benchmark,
    polarity,
  });
  const ranked = [...sized.providers].sort((a, b) => b.opportunity - a.opportunity || a.id.localeCompare(b.id));
  const rankOf = new Map(ranked.map((p, i) => [p.id, i + 1]));
  const result = new Map(sized.providers.map((p) => [p.id, p]));
  const memberRows = rows.filter((row) => members.has(row.organisationCode));
  const providers = memberRows
    .map((row): ProviderOpportunityRow => {
      const sizedRow = result.get(row.organisationCode);
      const observed = byCode.get(row.organisationCode);
      return {
        code: row.organisationCode,
        name: row.organisationName,
        suppressed: row.suppressed,
        events: observed ? events(observed) : null,
        size: observed ? sizeOf(observed) : null,
        value: observed ? (events(observed) / sizeOf(observed)) * indicator.multiplier : null,
        estimate: sizedRow ? sizedRow.estimate * indicator.multiplier : null,
        gap: sizedRow?.gap ?? null,
        opportunity: sizedRow?.opportunity ?? null,
        lower: sizedRow?.lower ?? null,
        upper: sizedRow?.upper ?? null,
        rank: sizedRow ? rankOf.get(row.organisationCode)! : null,
      };
    })
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || a.name.localeCompare(b.name));
  return {
    benchmark: { kind: options.benchmark, value: benchmark * indicator.multiplier, ...(peers && { peers: { published: peers.published, withheld: peers.withheld } }) },
    counts: polarity === 'higher-is-better' ? 'more-patients' : 'fewer-events',
    shrinkageTau2: options.estimate === 'shrunken' ? shrunken.tau2 : null,
    providers,
    total: {
      ...sized.total,
      providers: judged.length,
      withheld: memberRows.filter((row) => row.suppressed).length,
      noCounts: memberRows.filter((row) => !row.suppressed && !byCode.has(row.organisationCode)).length,
    },
  };
}

/** R's type 7 quantile of sorted values. */
function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const below = Math.floor(h);
  const above = Math.min(sorted.length - 1, below + 1);
  return sorted[below] + (h - below) * (sorted[above] - sorted[below]);
}
