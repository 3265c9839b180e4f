import { measureValue } from './measure-value';
import { isOutlier, isOutside95, type PeerFunnel } from './peer-funnel';
import type { IndicatorDefinition, ProviderObservation } from './types';

/** One indicator of the overview: its peer group in one period, the funnel across it, and the network's members then. */
export interface OverviewColumn {
  indicator: IndicatorDefinition;
  rows: readonly ProviderObservation[];
  peer: PeerFunnel;
  members: ReadonlySet<string>;
}

export interface OverviewCell {
  indicator: string;
  organisation: string;
  suppressed: boolean;
  /** Display scale; null when suppressed. */
  value: number | null;
  z: number | null;
  band: string | null;
  /** better / as-expected / worse, or higher / lower without a polarity; null without a funnel or when suppressed. */
  judgement: string | null;
}

export interface OutlierCounts {
  /** Cells with a judgement (not suppressed, on a funnel). */
  judged: number;
  /** Beyond 99.8 %: judgement other than as expected. */
  outliers: number;
  /** Outside 95 %, those beyond 99.8 % included. */
  outside95: number;
}

/**
 * The tartan rug of a network: a cell per member and indicator with the member's value and its judgement in
 * the funnel of all providers (the peer group, not just the network), and counts of outliers and of values
 * outside 95 % per indicator and per provider. Suppressed cells are marked and carry no figures.
 */
export function networkOverview(columns: readonly OverviewColumn[]) {
  const cells: OverviewCell[] = columns.flatMap(({ indicator, rows, peer, members }) =>
    rows
      .filter((row) => members.has(row.organisationCode))
      .map((row): OverviewCell => {
        const { suppressed } = row;
        const provider = peer.available ? peer.providers.get(row.organisationCode) : undefined;
        return {
          indicator: indicator.code,
          organisation: row.organisationCode,
          suppressed,
          value: suppressed ? null : measureValue(indicator, row).value,
          z: provider?.z ?? null,
          band: provider?.band ?? null,
          judgement: provider?.judgement ?? null,
        };
      }),
  );
  return {
    cells,
    indicatorCounts: countBy(cells, (cell) => cell.indicator),
    providerCounts: countBy(cells, (cell) => cell.organisation),
  };
}

function countBy(cells: readonly OverviewCell[], key: (cell: OverviewCell) => string): Map<string, OutlierCounts> {
  const counts = new Map<string, OutlierCounts>();
  for (const cell of cells) {
    const count = counts.get(key(cell)) ?? { judged: 0, outliers: 0, outside95: 0 };
    if (cell.judgement !== null) count.judged++;
    if (isOutlier(cell)) count.outliers++;
    if (isOutside95(cell)) count.outside95++;
    counts.set(key(cell), count);
  }
  return counts;
}
