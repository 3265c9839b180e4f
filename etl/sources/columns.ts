import { LoadRejectedError, type LoadProblem } from '../problems';

/** Case, spaces, underscores and dots do not distinguish column names: "Area Code" = "area_code". */
export const normaliseColumnName = (name: string) => name.trim().toLowerCase().replace(/[\s_.]+/g, ' ');

/** `org code` for `organisation code`, `denom` for `denominator`: each word the start of the candidate's word in its place. */
function abbreviates(name: string, candidate: string): boolean {
  const words = name.split(' ');
  const full = candidate.split(' ');
  return name !== candidate && words.length === full.length && words.every((word, i) => word.length >= 3 && full[i].startsWith(word));
}

function editDistance(a: string, b: string): number {
  const previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = previous[0];
    previous[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = previous[j];
      previous[j] = Math.min(previous[j] + 1, previous[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return previous[b.length];
}

export interface ColumnSpec<Field extends string> {
  field: Field;
  /** Accepted names; the first is the documented one. */
  names: readonly string[];
  required: boolean;
}

/**
 * Maps a header onto fields. A missing required column, or (when unknown columns are not allowed) a column
 * the format does not know, is a problem naming the column and, for a near miss, the name it resembles.
 */
export function resolveColumns<Field extends string>(
  file: string,
  header: readonly string[],
  specs: readonly ColumnSpec<Field>[],
  options: { allowUnknown: boolean },
): Map<Field, number> {
  const problems: LoadProblem[] = [];
  const positions = new Map<Field, number>();
  const known = new Set<number>();
  const normalised = header.map(normaliseColumnName);
  const seen = new Map<string, number>();
  normalised.forEach((name, index) => {
    if (name !== '' && seen.has(name)) problems.push({ file, row: 1, column: header[index], reason: 'the column appears twice in the header' });
    seen.set(name, index);
  });
  for (const spec of specs) {
    const index = normalised.findIndex((name) => spec.names.some((candidate) => normaliseColumnName(candidate) === name));
    if (index >= 0) {
      positions.set(spec.field, index);
      known.add(index);
    }
  }
  const allNames = specs.flatMap((spec) => spec.names);
  const nearest = (name: string) =>
    allNames
      .map((candidate) => ({ candidate, distance: editDistance(normaliseColumnName(candidate), name) }))
      .filter((match) => match.distance <= Math.max(2, Math.floor(match.candidate.length / 4)))
      .sort((a, b) => a.distance - b.distance)[0]?.candidate ?? allNames.find((candidate) => abbreviates(name, normaliseColumnName(candidate)));
  const unknownColumns = header.map((_, index) => index).filter((index) => !known.has(index) && normalised[index] !== '');
  for (const spec of specs) {
    if (!spec.required || positions.has(spec.field)) continue;
    const lookalike = unknownColumns.find((index) => nearest(normalised[index]) !== undefined && spec.names.includes(nearest(normalised[index])!));
    problems.push({
      file,
      row: 1,
      column: spec.names[0],
      reason:
        lookalike === undefined
          ? `the required column "${spec.names[0]}" is missing`
          : `the required column "${spec.names[0]}" is missing; is "${header[lookalike]}" a misspelling of it?`,
    });
  }
  if (!options.allowUnknown) {
    for (const index of unknownColumns) {
      const suggestion = nearest(normalised[index]);
      problems.push({
        file,
        row: 1,
        column: header[index],
        reason: suggestion ? `unknown column; did you mean "${suggestion}"?` : `unknown column; expected one of ${allNames.join(', ')}`,
      });
    }
  }
  if (problems.length > 0) throw new LoadRejectedError(file, problems);
  return positions;
}
