/**
 * The attacker's algebra: equations Σ coefficient·unknown = constant over the withheld figures (a suppressed
 * cell's count and its denominator or expected count), kept as an echelon basis of their row space. A linear
 * functional of the unknowns is determined when it lies in that row space; its value is then fixed by the
 * published figures, however many requests it took to get there.
 */

export interface Equation {
  /** The route (or trick) the equation came from, for the per-channel figures. */
  channel: string;
  terms: ReadonlyMap<string, number>;
  constant: number;
}

interface BasisRow {
  pivot: string;
  terms: Map<string, number>;
  constant: number;
}

export type Functional = ReadonlyMap<string, number>;

/** Entries this small, after each row is scaled to a largest coefficient of 1, are rounding noise. */
const zeroTolerance = 1e-9;

export class RowSpace {
  private readonly rows: BasisRow[] = [];
  /** Rows dropped because they contradicted earlier ones: a wrong guess of what a statistic pools. */
  inconsistent = 0;

  /**
   * @param scales the typical size of each unknown (a denominator is ~10⁵, a count ~3), so that elimination
   * compares coefficients on one footing; an unknown without a scale has scale 1.
   */
  constructor(private readonly scales: ReadonlyMap<string, number> = new Map()) {}

  get rank(): number {
    return this.rows.length;
  }

  add(equation: Equation): void {
    const scaled = new Map<string, number>();
    for (const [unknown, coefficient] of equation.terms) scaled.set(unknown, coefficient * this.scaleOf(unknown));
    const size = Math.max(...[...scaled.values()].map(Math.abs), 0);
    if (size === 0) return;
    const terms = new Map([...scaled].map(([unknown, coefficient]) => [unknown, coefficient / size]));
    const originalConstant = equation.constant / size;
    const { residual, value } = this.reduceScaled(terms);
    const constant = originalConstant - value;
    if (residual.size === 0) {
      if (Math.abs(constant) > 1e-6 * Math.max(1, Math.abs(originalConstant))) this.inconsistent++;
      return;
    }
    let pivot = '';
    let largest = 0;
    for (const [unknown, coefficient] of residual) {
      if (Math.abs(coefficient) > largest) [pivot, largest] = [unknown, Math.abs(coefficient)];
    }
    const factor = residual.get(pivot)!;
    for (const [unknown, coefficient] of residual) residual.set(unknown, coefficient / factor);
    this.rows.push({ pivot, terms: residual, constant: constant / factor });
  }

  /**
   * What the equations say about Σ functional·unknown: its value when determined (the residual over the free
   * unknowns is empty), otherwise value + Σ residual·unknown.
   */
  reduce(functional: Functional): { residual: Map<string, number>; value: number } {
    const scaled = new Map<string, number>();
    for (const [unknown, coefficient] of functional) scaled.set(unknown, coefficient * this.scaleOf(unknown));
    const { residual, value } = this.reduceScaled(scaled);
    for (const [unknown, coefficient] of residual) residual.set(unknown, coefficient / this.scaleOf(unknown));
    return { residual, value };
  }

  private reduceScaled(functional: Map<string, number>): { residual: Map<string, number>; value: number } {
    const residual = new Map(functional);
    const size = Math.max(...[...residual.values()].map(Math.abs), 0);
    let value = 0;
    // Each row is zero at the pivots of the rows before it, so one pass in insertion order reduces fully.
    for (const row of this.rows) {
      const factor = residual.get(row.pivot);
      if (factor === undefined) continue;
      for (const [unknown, coefficient] of row.terms) residual.set(unknown, (residual.get(unknown) ?? 0) - factor * coefficient);
      value += factor * row.constant;
      for (const [unknown, coefficient] of residual) if (Math.abs(coefficient) <= zeroTolerance * size) residual.delete(unknown);
    }
    return { residual, value };
  }

  private scaleOf(unknown: string): number {
    return this.scales.get(unknown) ?? 1;
  }
}

/** A suppressed cell as the attacker names it, with its unknowns and what it knows of their ranges. */
export interface TargetCell {
  key: string;
  count: string;
  denominator: string;
  /** A count of a rate or ratio is 1..threshold−1; a proportion's numerator or its complement is. */
  proportion: boolean;
  /** Denominators are whole numbers (patients, bed days) for this indicator, as every published one is. */
  integerDenominator: boolean;
}

/** The withheld truth of a cell, read from the database for scoring only. */
export interface CellTruth {
  count: number;
  denominator: number;
}

export type Recovery = 'exact' | 'within-threshold' | 'rate' | 'none';

const unit = (unknown: string, coefficient = 1): Functional => new Map([[unknown, coefficient]]);
const isZero = (residual: Map<string, number>) => residual.size === 0;

/**
 * What the attack learnt of one cell's small count (the numerator, or for a proportion whose numerator is
 * large its complement): exact, when it is determined and rounds to the truth, or a rate fixes it through
 * whole-number denominators; within the threshold, when it is bounded more tightly than the prior
 * 1..threshold−1 (truth inside the bounds) or determined to within one; rate, when only the cell's value is determined.
 */
export function scoreCell(space: RowSpace, cell: TargetCell, truth: CellTruth, threshold: number, priors: ReadonlyMap<string, readonly [number, number]>): Recovery {
  const complementSmall = cell.proportion && !(truth.count > 0 && truth.count < threshold);
  const small = complementSmall ? truth.denominator - truth.count : truth.count;
  const smallFunctional: Functional = complementSmall ? new Map([[cell.denominator, 1], [cell.count, -1]]) : unit(cell.count);
  const reduced = space.reduce(smallFunctional);
  if (isZero(reduced.residual)) {
    if (Math.round(reduced.value) === small) return 'exact';
    // A determined value off by under one is a near miss; one further off is a wrong guess, not a recovery.
    if (Math.abs(reduced.value - small) < 1) return 'within-threshold';
  }
  const rate = determinedRate(space, cell);
  const trueRate = truth.count / truth.denominator;
  const rateFound = rate !== null && Math.abs(rate - trueRate) <= 1e-6 * Math.max(trueRate, 1e-12);
  if (rateFound && cell.integerDenominator && wholeNumberCandidates(rate!, complementSmall, threshold).join() === String(small)) return 'exact';
  if (!isZero(reduced.residual)) {
    const [low, high] = boundsOf(reduced, priors);
    const [priorLow, priorHigh] = complementSmall ? [1, threshold - 1] : (priors.get(cell.count) ?? [0, Infinity]);
    const bounds = [Math.max(low, priorLow), Math.min(high, priorHigh)];
    if (bounds[1] - bounds[0] < threshold - 2 && small >= bounds[0] - 1e-6 && small <= bounds[1] + 1e-6) return 'within-threshold';
  }
  return rateFound ? 'rate' : 'none';
}

/** The cell's count ÷ denominator when the equations fix it: count − rate·denominator is determined and zero. */
export function determinedRate(space: RowSpace, cell: Pick<TargetCell, 'count' | 'denominator'>): number | null {
  const count = space.reduce(unit(cell.count));
  const denominator = space.reduce(unit(cell.denominator));
  if (isZero(count.residual) && isZero(denominator.residual)) return denominator.value === 0 ? null : count.value / denominator.value;
  if (isZero(count.residual) || isZero(denominator.residual)) return null;
  const free = new Set([...count.residual.keys(), ...denominator.residual.keys()]);
  let dot = 0;
  let norm = 0;
  for (const unknown of free) {
    dot += (count.residual.get(unknown) ?? 0) * (denominator.residual.get(unknown) ?? 0);
    norm += (denominator.residual.get(unknown) ?? 0) ** 2;
  }
  const rate = dot / norm;
  let misfit = 0;
  let size = 0;
  for (const unknown of free) {
    misfit = Math.max(misfit, Math.abs((count.residual.get(unknown) ?? 0) - rate * (denominator.residual.get(unknown) ?? 0)));
    size = Math.max(size, Math.abs(count.residual.get(unknown) ?? 0));
  }
  if (misfit > 1e-7 * size) return null;
  const offset = count.value - rate * denominator.value;
  return Math.abs(offset) <= 1e-6 * Math.max(1, Math.abs(count.value)) ? rate : null;
}

/** The small counts 1..threshold−1 that give a whole-number denominator at this rate. */
export function wholeNumberCandidates(rate: number, complement: boolean, threshold: number): number[] {
  const candidates: number[] = [];
  for (let small = 1; small < threshold; small++) {
    const denominator = complement ? small / (1 - rate) : small / rate;
    if (Number.isFinite(denominator) && Math.abs(denominator - Math.round(denominator)) <= 1e-6 * Math.max(1, denominator)) candidates.push(small);
  }
  return candidates;
}

/** value + Σ residual·unknown over the unknowns' prior ranges; unbounded when one has no finite range. */
function boundsOf(reduced: { residual: Map<string, number>; value: number }, priors: ReadonlyMap<string, readonly [number, number]>): [number, number] {
  let [lower, upper] = [reduced.value, reduced.value];
  for (const [unknown, coefficient] of reduced.residual) {
    const [low, high] = priors.get(unknown) ?? [0, Infinity];
    const ends = [coefficient * low, coefficient * high];
    lower += Math.min(...ends);
    upper += Math.max(...ends);
  }
  return [Number.isNaN(lower) ? -Infinity : lower, Number.isNaN(upper) ? Infinity : upper];
}
