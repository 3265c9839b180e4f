/** One problem with one place in an input file: the ETL's single error record. */
export interface LoadProblem {
  file: string;
  /** The spreadsheet row: 1 is the header, 2 the first data row; 0 when the problem is the whole file. */
  row: number;
  column?: string;
  value?: string;
  reason: string;
}

// C0 controls other than tab, LF and CR (and DEL): PostgreSQL's text and jsonb refuse NUL, and none belongs in a message.
const controlCharacters = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** Shows each control character as its escape, e.g. \u0000, so a problem can always be printed and stored. */
export function escapeControls(text: string): string {
  return text.replace(controlCharacters, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// A kept value is cut short: a thousand kept problems must not hold a thousand megabyte-long cells.
const keptValueLength = 200;

const escaped = (problem: LoadProblem): LoadProblem => ({
  ...problem,
  file: escapeControls(problem.file),
  ...(problem.column === undefined ? {} : { column: escapeControls(problem.column) }),
  ...(problem.value === undefined ? {} : { value: escapeControls(problem.value.length > keptValueLength ? `${problem.value.slice(0, keptValueLength)}…` : problem.value) }),
});

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
  readonly problems: LoadProblem[];
  constructor(
    readonly file: string,
    problems: LoadProblem[],
    readonly problemCount = problems.length,
  ) {
    problems = problems.map(escaped);
    const shown = problems.slice(0, 20).map(formatProblem).join('\n  ');
    const more = problemCount > 20 ? `\n  … and ${problemCount - 20} more` : '';
    super(`${escapeControls(file)}: ${problemCount} problem${problemCount === 1 ? '' : 's'}, nothing was loaded\n  ${shown}${more}`);
    this.problems = problems;
  }
}

/** Collects problems up to a cap, counting the rest, so a file of a million bad rows cannot exhaust memory. */
export class ProblemLog {
  readonly problems: LoadProblem[] = [];
  count = 0;
  constructor(private readonly keep = 1000) {}
  add(problem: LoadProblem): void {
    this.count++;
    if (this.problems.length < this.keep) this.problems.push(escaped(problem));
  }
  get any(): boolean {
    return this.count > 0;
  }
}

/** A command that cannot be carried out as asked (e.g. rolling back a batch that a later batch revised). */
export class EtlCommandError extends Error {
  override name = 'EtlCommandError';
}
