import type { Equation, TargetCell } from './linear-attack';

/** One provider's figures in one indicator and period, as the attacker has them: published, or unknown. */
export type Member = { published: true; count: number; denominator: number } | { published: false; cell: TargetCell };

export interface GroupMember {
  indicator: string;
  period: string;
  organisation: string;
}

export const cellKey = (indicator: string, organisation: string, period: string) => `${indicator}|${organisation}|${period}`;

/**
 * What the attacker knows cell by cell, and the equations it writes from pooled statistics over groups of
 * cells. A statistic that equals what the published members alone give is taken to leave the suppressed ones
 * out, and says nothing about them, so no equation is written for it.
 */
export class EquationBook {
  readonly equations: Equation[] = [];
  readonly cells = new Map<string, TargetCell>();
  private readonly published = new Map<string, { count: number; denominator: number }>();
  readonly scales = new Map<string, number>();

  publish(indicator: string, organisation: string, period: string, count: number, denominator: number): void {
    this.published.set(cellKey(indicator, organisation, period), { count, denominator });
  }

  suppress(indicator: string, organisation: string, period: string, kind: { proportion: boolean; integerDenominator: boolean }, denominatorScale: number): TargetCell {
    const key = cellKey(indicator, organisation, period);
    const known = this.cells.get(key);
    if (known) return known;
    const cell: TargetCell = { key, count: `${key}|count`, denominator: `${key}|denominator`, ...kind };
    this.cells.set(key, cell);
    this.scales.set(cell.denominator, denominatorScale);
    return cell;
  }

  member(at: GroupMember): Member | undefined {
    const key = cellKey(at.indicator, at.organisation, at.period);
    const cell = this.cells.get(key);
    if (cell) return { published: false, cell };
    const figures = this.published.get(key);
    return figures ? { published: true, ...figures } : undefined;
  }

  /** Σ counts = total and Σ denominators = total over a group (a network's pooled figures, inverted or published). */
  sums(channel: string, group: readonly GroupMember[], totals: { count?: number; denominator?: number; providers?: number }): void {
    const members = this.members(group);
    const unknown = members.flatMap((member) => (member.published ? [] : [member.cell]));
    if (unknown.length === 0) return;
    const published = members.flatMap((member) => (member.published ? [member] : []));
    if (totals.providers !== undefined && totals.providers === published.length) return;
    const publishedCount = published.reduce((sum, member) => sum + member.count, 0);
    const publishedDenominator = published.reduce((sum, member) => sum + member.denominator, 0);
    if (published.length > 0 && totals.count === publishedCount && near(totals.denominator, publishedDenominator)) return;
    for (const [field, total, publishedTotal] of [
      ['count', totals.count, publishedCount],
      ['denominator', totals.denominator, publishedDenominator],
    ] as const) {
      if (total === undefined) continue;
      const terms = new Map(unknown.map((cell) => [cell[field], 1]));
      this.equations.push({ channel, terms, constant: total - publishedTotal });
    }
  }

  /** rate·Σ denominators − Σ counts = 0 over a group: a pooled value or an SPC centre, on the count scale. */
  ratio(channel: string, group: readonly GroupMember[], rate: number | null | undefined, providers?: number): void {
    if (rate === null || rate === undefined || !Number.isFinite(rate)) return;
    const members = this.members(group);
    const unknown = members.flatMap((member) => (member.published ? [] : [member.cell]));
    if (unknown.length === 0) return;
    const published = members.flatMap((member) => (member.published ? [member] : []));
    if (providers !== undefined && providers === published.length) return;
    const publishedCount = published.reduce((sum, member) => sum + member.count, 0);
    const publishedDenominator = published.reduce((sum, member) => sum + member.denominator, 0);
    if (published.length > 0 && near(rate, publishedCount / publishedDenominator)) return;
    const terms = new Map<string, number>();
    for (const cell of unknown) {
      terms.set(cell.count, -1);
      terms.set(cell.denominator, rate);
    }
    this.equations.push({ channel, terms, constant: publishedCount - rate * publishedDenominator });
  }

  /** A withheld figure given away outright (a below-floor answer, or a route that forgot to withhold it). */
  disclosed(channel: string, at: GroupMember, figures: { count?: number | null; denominator?: number | null; rate?: number | null }): void {
    const member = this.member(at);
    if (!member || member.published) return;
    const { cell } = member;
    if (typeof figures.count === 'number') this.equations.push({ channel, terms: new Map([[cell.count, 1]]), constant: figures.count });
    if (typeof figures.denominator === 'number') this.equations.push({ channel, terms: new Map([[cell.denominator, 1]]), constant: figures.denominator });
    if (typeof figures.rate === 'number') this.ratio(channel, [at], figures.rate);
  }

  private members(group: readonly GroupMember[]): Member[] {
    return group.flatMap((at) => {
      const member = this.member(at);
      return member ? [member] : [];
    });
  }
}

const near = (a: number | undefined, b: number) => a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b), 1e-300);
