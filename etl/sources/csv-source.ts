import { basename } from 'node:path';
import { openCsv, readCsvHeader, type CsvRecord } from '../csv/csv-records';
import { LoadRejectedError } from '../problems';
import { resolveColumns, type ColumnSpec } from './columns';
import type { ObservationField, ObservationSource, RawObservation } from './raw-observation';

type Cell = (field: ObservationField) => string | undefined;

/**
 * An ObservationSource over a CSV file: the header is checked once on opening; each read re-streams the file.
 * toRow maps one record (through `cell`) to a raw observation, or to null to pass the row over.
 */
export async function csvObservationSource(
  path: string,
  format: ObservationSource['format'],
  specs: readonly ColumnSpec<ObservationField>[],
  options: { allowUnknown: boolean },
  toRow: (record: CsvRecord, cell: Cell) => RawObservation | null,
): Promise<ObservationSource> {
  const file = basename(path);
  const header = await readCsvHeader(path);
  const positions = resolveColumns(file, header, specs, options);
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]]));
  let skipped = 0;
  return {
    format,
    file,
    columns,
    skippedRows: () => skipped,
    async *rows() {
      skipped = 0;
      const { records } = await openCsv(path);
      for await (const record of records) {
        if (record.fields.length !== header.length) {
          throw new LoadRejectedError(file, [
            { file, row: record.row, reason: `the row has ${record.fields.length} fields but the header has ${header.length}` },
          ]);
        }
        const cell: Cell = (field) => {
          const index = positions.get(field);
          return index === undefined ? undefined : record.fields[index];
        };
        const row = toRow(record, cell);
        if (row === null) skipped++;
        else yield row;
      }
    },
  };
}
