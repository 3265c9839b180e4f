/** One problem with one place in an input file: the ETL's single error record. */
export interface LoadProblem {
  file: string;
  /** The spreadsheet row: 1 is the header, 2 the first data row; 0 when the problem is the whole file. */
  row: number;
  column?: string;
  value?: string;
  reason: string;
}

export function formatProblem(problem: LoadProblem): string {
  const place = [problem.file, problem.row > 0 ? `row ${problem.row}` : undefined, problem.column ? `column "${problem.column}"` : undefined]
    .filter(Boolean)
    .join(', ');
  const value = problem.value === undefined ? '' : ` (value "${problem.value.length > 60 ? `${problem.value.slice(0, 57)}...` : problem.value}")`;
  return `${place}: ${problem.reason}${value}`;
}

/** A load refused because of problems; nothing from the file was written. */
export class LoadRejectedError extends Error {
  override name = 'LoadRejectedError';
  constructor(
    readonly file: string,
    readonly problems: LoadProblem[],
    readonly problemCount = problems.length,
  ) {
    const shown = problems.slice(0, 20).map(formatProblem).join('\n  ');
    const more = problemCount > 20 ? `\n  … and ${problemCount - 20} more` : '';
    super(`${file}: ${problemCount} problem${problemCount === 1 ? '' : 's'}, nothing was loaded\n  ${shown}${more}`);
  }
}

/** Collects problems up to a cap, counting the rest, so a file of a million bad rows cannot exhaust memory. */
export class ProblemLog {
  readonly problems: LoadProblem[] = [];
  count = 0;
  constructor(private readonly keep = 1000) {}
  add(problem: LoadProblem): void {
    this.count++;
    if (this.problems.length < this.keep) this.problems.push(problem);
  }
  get any(): boolean {
    return this.count > 0;
  }
}

/** A command that cannot be carried out as asked (e.g. rolling back a batch that a later batch revised). */
export class EtlCommandError extends Error {
  override name = 'EtlCommandError';
}
