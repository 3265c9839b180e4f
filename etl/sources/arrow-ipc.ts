import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { LoadRejectedError } from '../problems';
import { resolveColumns } from './columns';
import { genericColumns } from './generic-csv';
import { measureFields, type ObservationField, type ObservationSource } from './raw-observation';

type CellValue = string | number | bigint | boolean | null | undefined;

async function openReader(path: string, file: string) {
  try {
    return await RecordBatchReader.from(createReadStream(path));
  } catch (error) {
    throw new LoadRejectedError(file, [{ file, row: 0, reason: `not an Apache Arrow IPC or Feather file (${(error as Error).message})` }]);
  }
}

const asText = (value: CellValue) => (value === null || value === undefined ? '' : String(value));
const asMeasure = (value: CellValue): string | number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);

/**
 * An Apache Arrow IPC (stream or file/Feather v2) table with the generic columns. Batches are read one at a
 * time. Rows are numbered by record, from 1, since Arrow has no header row.
 */
export async function openArrowIpc(path: string): Promise<ObservationSource> {
  const file = basename(path);
  const probe = await openReader(path, file);
  await probe.open();
  const header = probe.schema.fields.map((field) => field.name);
  await probe.cancel();
  const positions = resolveColumns(file, header, genericColumns, { allowUnknown: false });
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]])) as Partial<
    Record<ObservationField, string>
  >;
  return {
    format: 'arrow-ipc',
    file,
    columns,
    skippedRows: () => 0,
    async *rows() {
      const reader = await openReader(path, file);
      let row = 0;
      for await (const batch of reader) {
        const vectors = new Map([...positions].map(([field, index]) => [field, batch.getChildAt(index)]));
        const cell = (field: ObservationField, i: number): CellValue => vectors.get(field)?.get(i) as CellValue;
        for (let i = 0; i < batch.numRows; i++) {
          row++;
          yield {
            row,
            indicator: asText(cell('indicator', i)),
            organisation: asText(cell('organisation', i)),
            period: asText(cell('period', i)),
            measures: Object.fromEntries(measureFields.map((field) => [field, asMeasure(cell(field, i))])),
          };
        }
      }
    },
  };
}
