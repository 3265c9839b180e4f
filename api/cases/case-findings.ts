import type { Database } from '../../db';
import { findIndicator, indicatorPeriods } from '../queries/catalogue.queries';
import { loadPeerFunnels } from '../queries/peer-funnels.queries';
import { funnelOptions } from '../routes/funnel-views';

/** A case's finding as the finder reads it now: the same funnel of all providers, the same suppression. */
export interface CaseFinding {
  suppressed: boolean;
  /** null when withheld (small numbers) or without a funnel. */
  value: number | null;
  adjustedZ: number | null;
  band: string | null;
  judgement: string | null;
}

const withheld: CaseFinding = { suppressed: true, value: null, adjustedZ: null, band: null, judgement: null };

/**
 * The figures of each case's finding, read live through the one suppression path (periodObservations, at the
 * caller's threshold) and judged in the funnel of all providers with the indicator's default method, as the
 * finder judges it by default. No figure is stored with a case, so a count a revision or the threshold withholds
 * is withheld here too. One funnel per indicator and period, however many cases share it.
 */
export async function caseFindings(db: Database, cases: readonly { id: number; indicatorCode: string; periodLabel: string; organisationCode: string }[], suppressionThreshold: number): Promise<Map<number, CaseFinding>> {
  const groups = new Map<string, typeof cases>();
  for (const one of cases) groups.set(`${one.indicatorCode}\n${one.periodLabel}`, [...(groups.get(`${one.indicatorCode}\n${one.periodLabel}`) ?? []), one]);
  const findings = new Map<number, CaseFinding>();
  for (const members of groups.values()) {
    const indicator = await findIndicator(db, members[0].indicatorCode);
    const period = (await indicatorPeriods(db, indicator.id)).find((candidate) => candidate.label === members[0].periodLabel);
    if (!period) {
      for (const one of members) findings.set(one.id, { ...withheld, suppressed: false });
      continue;
    }
    const [{ peer, rows }] = await loadPeerFunnels(db, indicator, [period], funnelOptions({ trim: 0.1 }, indicator), suppressionThreshold);
    for (const one of members) {
      const provider = peer.available ? peer.providers.get(one.organisationCode) : undefined;
      // Without a funnel (none can be drawn at this threshold) a cell is still withheld or not as its row says.
      const row = rows.find((candidate) => candidate.organisationCode === one.organisationCode);
      if (row?.suppressed || provider?.suppressed) findings.set(one.id, withheld);
      else if (!provider) findings.set(one.id, { ...withheld, suppressed: false });
      else findings.set(one.id, { suppressed: false, value: provider.value, adjustedZ: provider.adjustedZ, band: provider.band, judgement: provider.judgement });
    }
  }
  return findings;
}
