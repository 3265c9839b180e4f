import type { AssuranceCategory, VariationCategory } from '../stats';
import { providerSpc, SpcNotAvailableError, type ProviderSpcOptions, type SeriesObservation } from './provider-spc';
import type { IndicatorDefinition } from './types';

/** How a variation category counts in a network summary: the side a special cause is on does not matter there. */
export type VariationGroup = 'improvement' | 'concern' | 'neutral' | 'common';
export type AssuranceGroup = 'pass' | 'fail' | 'hitAndMiss' | 'noTarget';

export function variationGroup(variation: VariationCategory): VariationGroup {
  if (variation === 'common_cause') return 'common';
  return variation.split('_')[2] as Exclude<VariationGroup, 'common'>;
}

const assuranceGroups: Record<AssuranceCategory, AssuranceGroup> = { consistent_pass: 'pass', consistent_fail: 'fail', inconsistent: 'hitAndMiss' };

export const assuranceGroup = (assurance: AssuranceCategory | null): AssuranceGroup => (assurance === null ? 'noTarget' : assuranceGroups[assurance]);

/**
 * A member's SPC status in the summary's period:
 * - `charted`: its own SPC chart up to the period (`providerSpc`, as `GET /api/trends/spc` draws it) ends at the
 *   period, with the latest point's variation and assurance;
 * - `withheld`: its figure in the period is withheld by disclosure control. It shows no icon: an icon read from
 *   its earlier periods would describe another period, and the summary says only what the funnel already says
 *   (that the cell is withheld);
 * - `not_charted`: the period's figure is published but no chart can be drawn (too few periods with figures, or
 *   none the chart needs in the period), with the reason.
 * Members that did not report the period are only counted. Withheld earlier periods are missing from the chart,
 * so no icon depends on a withheld figure.
 */
export type MemberSpcStatus =
  | { status: 'charted'; kind: string; variation: VariationCategory; assurance: AssuranceCategory | null }
  | { status: 'withheld' }
  | { status: 'not_charted'; reason: string };

export function memberSpcStatus(indicator: IndicatorDefinition & { source?: string | null }, series: readonly SeriesObservation[], period: string, options: ProviderSpcOptions): MemberSpcStatus {
  const own = series.find((row) => row.period === period);
  if (own?.suppressed) return { status: 'withheld' };
  try {
    const chart = providerSpc(indicator, series, options);
    if (chart.points.at(-1)?.period !== period) return { status: 'not_charted', reason: `${period} has none of the figures the chart needs` };
    return { status: 'charted', kind: chart.kind, variation: chart.variation, assurance: chart.assurance };
  } catch (error) {
    if (error instanceof SpcNotAvailableError) return { status: 'not_charted', reason: error.message };
    throw error;
  }
}

export interface SummaryMember {
  code: string;
  name: string;
  spc: MemberSpcStatus;
}

/** The members counted by their latest variation and assurance (charted members only), and by why the rest have no icon. */
export function spcCounts(members: readonly SummaryMember[], notReported: number) {
  const variation: Record<VariationGroup, number> = { improvement: 0, concern: 0, neutral: 0, common: 0 };
  const assurance: Record<AssuranceGroup, number> = { pass: 0, fail: 0, hitAndMiss: 0, noTarget: 0 };
  let withheld = 0;
  let notCharted = 0;
  for (const { spc } of members) {
    if (spc.status === 'charted') {
      variation[variationGroup(spc.variation)]++;
      assurance[assuranceGroup(spc.assurance)]++;
    } else if (spc.status === 'withheld') withheld++;
    else notCharted++;
  }
  return { members: members.length + notReported, reporting: members.length, charted: members.length - withheld - notCharted, withheld, notCharted, notReported, variation, assurance };
}
