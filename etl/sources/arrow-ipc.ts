import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { RecordBatchReader } from 'apache-arrow';
import { LoadRejectedError } from '../problems';
import { resolveColumns } from './columns';
import { genericColumns } from './generic-csv';
import { measureFields, type ObservationField, type ObservationSource } from './raw-observation';

type CellValue = string | number | bigint | boolean | null | undefined;

const fileMagic = Buffer.from('ARROW1');
const streamContinuation = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** Arrow's own reader fails obscurely on other bytes, so check the magic of the file or stream format first. */
async function checkArrowMagic(path: string, file: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(6);
    const { bytesRead } = await handle.read(head, 0, 6, 0);
    const isArrow = bytesRead >= 6 && (head.equals(fileMagic) || head.subarray(0, 4).equals(streamContinuation));
    if (!isArrow) {
      throw new LoadRejectedError(file, [{ file, row: 0, reason: 'not an Apache Arrow IPC or Feather (v2) file: it does not start with the Arrow magic bytes' }]);
    }
  } finally {
    await handle.close();
  }
}

function openReader(path: string) {
  return RecordBatchReader.from(createReadStream(path));
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
  await checkArrowMagic(path, file);
  const probe = await openReader(path);
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
      const reader = await openReader(path);
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
