import type { LoadProblem } from '../problems';

/** Reads one cell of a reference row, recording a problem (file, row, column, value, reason) when it is bad. */
export class ReferenceRowReader {
  readonly problems: LoadProblem[] = [];
  constructor(
    private readonly file: string,
    readonly row: number,
    private readonly cells: Readonly<Record<string, string | undefined>>,
  ) {}

  private problem(column: string, value: string, reason: string): void {
    this.problems.push({ file: this.file, row: this.row, column, value, reason });
  }

  text(column: string): string {
    const value = (this.cells[column] ?? '').trim();
    if (value === '') this.problem(column, value, `the ${column.replace(/_/g, ' ')} is empty`);
    return value;
  }

  optionalText(column: string): string | null {
    const value = (this.cells[column] ?? '').trim();
    return value === '' ? null : value;
  }

  choice<Choice extends string>(column: string, choices: readonly Choice[]): Choice {
    const value = (this.cells[column] ?? '').trim();
    const normalised = value.toLowerCase().replace(/[\s-]+/g, '_');
    const match = choices.find((choice) => choice === normalised);
    if (!match) this.problem(column, value, `must be one of ${choices.join(', ')}`);
    return match ?? choices[0];
  }

  date(column: string, required: boolean): string | null {
    const value = (this.cells[column] ?? '').trim();
    if (value === '') {
      if (required) this.problem(column, value, 'the date is empty');
      return null;
    }
    const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const valid = match && new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value;
    if (!valid) {
      this.problem(column, value, 'not a date in the form YYYY-MM-DD');
      return null;
    }
    return value;
  }

  number(column: string, options: { required: boolean; positive?: boolean }): number | null {
    const value = (this.cells[column] ?? '').trim();
    if (value === '') {
      if (options.required) this.problem(column, value, 'the number is empty');
      return null;
    }
    const parsed = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(value) ? Number(value) : NaN;
    if (!Number.isFinite(parsed)) this.problem(column, value, 'not a number');
    else if (options.positive && parsed <= 0) this.problem(column, value, 'must be greater than zero');
    return Number.isFinite(parsed) ? parsed : null;
  }

  flag(column: string): boolean {
    const value = (this.cells[column] ?? '').trim().toLowerCase();
    if (['', 'false', 'no', 'n', '0'].includes(value)) return false;
    if (['true', 'yes', 'y', '1'].includes(value)) return true;
    this.problem(column, value, 'must be true or false');
    return false;
  }

  fail(column: string, value: string, reason: string): void {
    this.problem(column, value, reason);
  }
}
