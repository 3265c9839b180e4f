import type { LoadProblem } from '../problems';
import { ReferenceRowReader } from '../validate/reference-rows';

/**
 * The rows of a headed reference file as readers by column name; a row with the wrong number of fields is a
 * problem naming it, and is passed over so the rest of the file can still be checked.
 */
export async function* headedRows(
  file: string,
  header: readonly string[],
  records: AsyncIterable<{ row: number; fields: string[] }>,
  problems: LoadProblem[],
): AsyncGenerator<{ row: number; reader: ReferenceRowReader }> {
  for await (const { row, fields } of records) {
    if (fields.length !== header.length) {
      problems.push({ file, row, column: header[Math.min(fields.length, header.length - 1)], reason: `the row has ${fields.length} fields but the header has ${header.length}` });
      continue;
    }
    yield { row, reader: new ReferenceRowReader(file, row, Object.fromEntries(header.map((name, index) => [name, fields[index]]))) };
  }
}
