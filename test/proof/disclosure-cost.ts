import { FunnelNotAvailableError, indicatorFunnel, type IndicatorFunnel } from '../../api/analysis/indicator-funnel';
import { StatsInputError } from '../../api/stats';
import { schema, type DatabaseHandle } from '../../db';
import { indicatorPeriods } from '../../api/queries/catalogue.queries';
import { periodObservations } from '../../api/queries/observations.queries';

/**
 * What disclosure control costs the funnels: each indicator's funnel in each period drawn twice, once from every
 * provider's figures (suppressed providers counting in θ and φ, the design before disclosure control) and once
 * as the API draws it, withheld providers taking no part. Reported: how many cells are withheld, how far θ and φ
 * move, and how many published providers' verdicts (band at the 99.8 % limit) change.
 */
export interface DisclosureCost {
  funnels: number;
  cells: number;
  withheld: number;
  /** Relative change of the benchmark θ, median and largest over the funnels that withhold anyone. */
  thetaShift: { median: number; largest: number };
  phiShift: { median: number; largest: number };
  /** Published providers judged in both funnels, and those whose judgement differs. */
  judged: number;
  verdictsChanged: number;
}

const funnelOrNull = (draw: () => IndicatorFunnel) => {
  try {
    return draw();
  } catch (error) {
    if (error instanceof FunnelNotAvailableError || error instanceof StatsInputError) return null;
    throw error;
  }
};

const median = (values: number[]) => {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

export async function disclosureCost(handle: DatabaseHandle, threshold = 5): Promise<DisclosureCost> {
  const cost: DisclosureCost = { funnels: 0, cells: 0, withheld: 0, thetaShift: { median: 0, largest: 0 }, phiShift: { median: 0, largest: 0 }, judged: 0, verdictsChanged: 0 };
  const thetaShifts: number[] = [];
  const phiShifts: number[] = [];
  for (const indicator of await handle.db.select().from(schema.indicators)) {
    const options = { convention: 'spiegelhalter' as const, adjustment: 'multiplicative' as const, trimFraction: 0.1 };
    for (const period of await indicatorPeriods(handle.db, indicator.id)) {
      const everyone = await periodObservations(handle.db, indicator, period, 0);
      const disclosed = await periodObservations(handle.db, indicator, period, threshold);
      const before = funnelOrNull(() => indicatorFunnel(indicator, everyone, options));
      const after = funnelOrNull(() => indicatorFunnel(indicator, disclosed, options));
      if (!before || !after) continue;
      cost.funnels++;
      cost.cells += disclosed.length;
      const withheld = disclosed.filter((row) => row.suppressed).length;
      cost.withheld += withheld;
      if (withheld > 0) {
        thetaShifts.push(Math.abs(after.target - before.target) / Math.abs(before.target || 1));
        phiShifts.push(Math.abs(after.overdispersion.phi - before.overdispersion.phi) / before.overdispersion.phi);
      }
      const judgementBefore = new Map(before.providers.map((provider) => [provider.code, provider.judgement]));
      for (const provider of after.providers) {
        if (provider.suppressed || provider.judgement === null) continue;
        cost.judged++;
        if (judgementBefore.get(provider.code) !== provider.judgement) cost.verdictsChanged++;
      }
    }
  }
  cost.thetaShift = { median: median(thetaShifts), largest: Math.max(0, ...thetaShifts) };
  cost.phiShift = { median: median(phiShifts), largest: Math.max(0, ...phiShifts) };
  return cost;
}
