import { requireInput } from '../errors';

/** One organisation's values of the chosen attributes, in the order of the weights; null where it has none. */
export interface NeighbourCandidate {
  id: string;
  values: readonly (number | null)[];
}

export interface StandardisedAttribute {
  /** Mean and sample standard deviation over the complete candidates, the z-scores' reference. */
  mean: number;
  sd: number;
  /** The weight as given and as a share of all weights (the distance's weighting). */
  weight: number;
  share: number;
}

export interface Neighbour {
  id: string;
  /** √(Σ shareₐ (zₐ − zₐ*)²): a standardised (SD-unit) distance, 0 for an identical profile. */
  distance: number;
  /** Each attribute's shareₐ (zₐ − zₐ*)², the parts of distance² it comes from. */
  contributions: number[];
}

export interface NearestNeighbours {
  attributes: StandardisedAttribute[];
  /** The target's z-scores. */
  z: number[];
  /** The k nearest, nearest first (ties by id). */
  neighbours: Neighbour[];
  /** Candidates left out for want of a value of a chosen attribute. */
  incomplete: string[];
}

/**
 * Nearest-neighbour peers, as CIPFA's nearest-neighbour model and the "10 most similar" comparators of NHS
 * benchmarking choose them (CIPFA 2019, Nearest Neighbour Model technical note; PHE Fingertips, "similar
 * areas"): every attribute is standardised to z = (x − mean)/sd over the candidates that have all the chosen
 * attributes (sample sd; an attribute with no spread standardises to 0 and separates nobody), and candidates
 * are ranked by the weighted Euclidean distance d = √(Σ wₐ(zₐ − zₐ*)² / Σ wₐ) from the target *, so weights
 * say how much each attribute counts and d is in standard deviations. Cost: one pass over n × attributes and a
 * sort, about a millisecond for 7,000 candidates and 10 attributes.
 */
export function nearestNeighbours(candidates: readonly NeighbourCandidate[], targetId: string, weights: readonly number[], k: number): NearestNeighbours {
  const m = weights.length;
  requireInput(m > 0 && weights.every((w) => Number.isFinite(w) && w >= 0) && weights.some((w) => w > 0), 'nearestNeighbours', 'at least one weight, each finite and at least zero, one above zero');
  requireInput(Number.isInteger(k) && k > 0, 'nearestNeighbours', 'a whole number k greater than zero');
  requireInput(candidates.every((c) => c.values.length === m), 'nearestNeighbours', 'one value per weight for every candidate');
  const complete = candidates.filter((c) => c.values.every((value) => value !== null && Number.isFinite(value)));
  const kept = new Set(complete);
  const incomplete = candidates.filter((c) => !kept.has(c)).map((c) => c.id);
  const target = complete.find((c) => c.id === targetId);
  requireInput(target !== undefined, 'nearestNeighbours', 'a target with a value of every chosen attribute');
  requireInput(complete.length >= 2, 'nearestNeighbours', 'at least two candidates with every chosen attribute');

  const totalWeight = weights.reduce((sum, w) => sum + w, 0);
  const attributes = weights.map((weight, a): StandardisedAttribute => {
    let mean = 0;
    for (const c of complete) mean += c.values[a]!;
    mean /= complete.length;
    let squares = 0;
    for (const c of complete) squares += (c.values[a]! - mean) ** 2;
    return { mean, sd: Math.sqrt(squares / (complete.length - 1)), weight, share: weight / totalWeight };
  });
  const zOf = (value: number, a: number) => (attributes[a].sd > 0 ? (value - attributes[a].mean) / attributes[a].sd : 0);
  const z = target.values.map((value, a) => zOf(value!, a));

  const scored = complete
    .filter((c) => c.id !== targetId)
    .map((c): Neighbour => {
      const contributions = c.values.map((value, a) => attributes[a].share * (zOf(value!, a) - z[a]) ** 2);
      return { id: c.id, distance: Math.sqrt(contributions.reduce((sum, part) => sum + part, 0)), contributions };
    });
  scored.sort((a, b) => a.distance - b.distance || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { attributes, z, neighbours: scored.slice(0, k), incomplete };
}
