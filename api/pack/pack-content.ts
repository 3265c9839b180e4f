import type {
  IndicatorJson,
  NetworkMeasureJson,
  NetworkSpcJson,
  PackFunnelJson,
  PeriodGranularity,
  ProvenanceJson,
  VariationFindingJson,
  VariationJson,
} from './api-json';
import type { MemberCounts } from './indicator-findings';
import type { PackCasework } from './pack-casework';
import type { PackOpportunity } from './pack-opportunity';
import type { PackChanges } from './pack-changes';

/** What a pack is built for: the parameters of `GET /api/packs` and `npm run pack`, validated. */
export interface PackOptions {
  network: string;
  period: string;
  /** Indicator codes in the order wanted; every indicator the network's providers report in the period when absent. */
  indicators?: readonly string[];
  convention?: 'spiegelhalter' | 'cqc' | 'shmi';
  adjustment?: 'none' | 'multiplicative' | 'additive';
  trim?: number;
  trimMethod?: 'winsorise' | 'truncate';
  /** Small-number threshold; the API's floor when absent. */
  suppression?: number;
  /** Why the threshold is below the floor (allowed roles only; audited). */
  suppressionReason?: string;
  /** Periods the persistence of an outlier is counted over. */
  recent?: number;
}

/** The parameters as asked: without a period, the latest of the pack's indicators (`latestPackPeriod`). */
export type PackRouteOptions = Omit<PackOptions, 'period'> & { period?: string };

/** One indicator's page: the API's answers and the findings written from them. */
export interface IndicatorSection {
  indicator: IndicatorJson;
  granularity: PeriodGranularity;
  funnel: PackFunnelJson;
  measure: NetworkMeasureJson;
  /** null when the network's series cannot be charted; `networkSpcReason` says why. */
  networkSpc: NetworkSpcJson | null;
  networkSpcReason: string | null;
  outliers: VariationFindingJson[];
  counts: MemberCounts;
  /** The variation finder's counts for the indicator: members whose verdict is method-sensitive, and persistent outliers. */
  finder: { methodSensitive: number; persistent: number };
  findings: string[];
}

export interface PackContent {
  network: { code: string; name: string };
  period: string;
  method: VariationJson['method'];
  recent: number;
  /** ISO time the pack was built. */
  builtAt: string;
  provenance: ProvenanceJson;
  /** The network's providers beyond 99.8 % on the pack's indicators, ranked by |adjusted z|. */
  outliers: VariationFindingJson[];
  indicators: IndicatorSection[];
  /** The network's outlier cases, chart notes and commentary (pack-casework.ts); absent from packs made without them. */
  casework?: PackCasework;
  /** What the variation is worth on the pack's indicators (pack-opportunity.ts); absent from packs made without it. */
  opportunity?: PackOpportunity;
  /** What the latest load changed among the network's members (pack-changes.ts); absent from packs made without it. */
  changes?: PackChanges;
}
