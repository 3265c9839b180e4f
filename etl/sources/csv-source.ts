import { basename } from 'node:path';
import { openCsv, readCsvHeader, type CsvRecord } from '../csv/csv-records';
import { LoadRejectedError } from '../problems';
import { resolveColumns, type ColumnSpec } from './columns';
import type { ObservationField, ObservationSource, RawObservation } from './raw-observation';

/**
 * An ObservationSource over a CSV file: the header is checked once on opening; each read re-streams the file.
 * toRow maps one record (through `cell`) to a raw observation, or to the reason the row is passed over.
 * Fields beyond the observation's own (a filter column) may be named in specs and read through `cell`.
 */
export async function csvObservationSource<Field extends string = ObservationField>(
  path: string,
  format: ObservationSource['format'],
  specs: readonly ColumnSpec<Field>[],
  options: { allowUnknown: boolean },
  toRow: (record: CsvRecord, cell: (field: Field) => string | undefined) => RawObservation | string,
): Promise<ObservationSource> {
  const file = basename(path);
  const header = await readCsvHeader(path);
  const positions = resolveColumns(file, header, specs, options);
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]]));
  const passedOver = new Map<string, number>();
  const skipped = () => [...passedOver.values()].reduce((sum, rows) => sum + rows, 0);
  return {
    format,
    file,
    columns,
    skippedRows: skipped,
    passedOver: () => passedOver,
    async *rows() {
      passedOver.clear();
      const { records } = await openCsv(path);
      for await (const record of records) {
        if (record.fields.length !== header.length) {
          throw new LoadRejectedError(file, [
            { file, row: record.row, reason: `the row has ${record.fields.length} fields but the header has ${header.length}` },
          ]);
        }
        const row = toRow(record, (field) => {
          const index = positions.get(field);
          return index === undefined ? undefined : record.fields[index];
        });
        if (typeof row === 'string') passedOver.set(row, (passedOver.get(row) ?? 0) + 1);
        else yield row;
      }
    },
  };
}
