import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { Message, MessageHeader, RecordBatchReader } from 'apache-arrow';
import { formatCount, inputLimits, overCap, type InputLimits } from '../limits';
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
const asMeasure = (value: CellValue): string | number | bigint | null =>
  value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'bigint' ? value : String(value);

const refused = (file: string, reason: string) => new LoadRejectedError(file, [{ file, row: 0, reason }]);

/**
 * Walks the file's IPC messages, reading only their metadata, and refuses what decoding would cost before
 * Arrow's reader allocates it: a metadata or body length beyond the end of the file, a buffer outside its
 * body, compressed bodies, more rows than the row cap, or buffers adding up past the decompressed-size cap.
 */
async function checkDeclaredSizes(path: string, file: string, limits: InputLimits): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    const read = async (position: number, length: number) => {
      const bytes = Buffer.alloc(length);
      await handle.read(bytes, 0, length, position);
      return bytes;
    };
    const isFile = (await read(0, 6)).equals(fileMagic);
    // The file format ends with its footer, its length and the magic again; messages come before.
    const end = isFile ? size - 10 - (size >= 16 ? (await read(size - 10, 4)).readInt32LE(0) : 0) : size;
    let offset = isFile ? 8 : 0;
    let rows = 0;
    let bodyBytes = 0;
    while (offset + 4 <= end) {
      const first = (await read(offset, 4)).readInt32LE(0);
      const prefix = first === -1 ? 8 : 4;
      const metadataLength = first === -1 ? (offset + 8 <= end ? (await read(offset + 4, 4)).readInt32LE(0) : 0) : first;
      if (metadataLength === 0) break;
      const bodyStart = offset + prefix + metadataLength;
      if (metadataLength < 0 || bodyStart > end) throw refused(file, `not a readable Arrow file: a message declares ${formatCount(metadataLength)} bytes of metadata, past the end of the file`);
      let message: Message;
      try {
        message = Message.decode(await read(offset + prefix, metadataLength));
      } catch (error) {
        throw refused(file, `not a readable Arrow file (${(error as Error).message})`);
      }
      const bodyLength = Number(message.bodyLength);
      if (bodyLength < 0 || bodyStart + bodyLength > end) {
        throw refused(file, `not a readable Arrow file: a message declares a body of ${formatCount(bodyLength)} bytes but ${formatCount(Math.max(0, end - bodyStart))} remain in the file`);
      }
      const batch = message.isRecordBatch() ? message.header() : message.isDictionaryBatch() ? message.header().data : undefined;
      if (batch) {
        if (batch.compression) throw refused(file, 'compressed Arrow record batches are not supported; write the file uncompressed');
        for (const buffer of batch.buffers) {
          if (buffer.offset < 0 || buffer.length < 0 || buffer.offset + buffer.length > bodyLength) throw refused(file, 'not a readable Arrow file: a buffer lies outside its message body');
          bodyBytes += buffer.length;
        }
        if (message.headerType === MessageHeader.RecordBatch) rows += Number(batch.length);
        if (rows > limits.maxRows) throw overCap(file, 'maxRows', limits, `the file declares more than ${formatCount(limits.maxRows)} rows`);
        if (bodyBytes > limits.maxDecompressedBytes) throw overCap(file, 'maxDecompressedBytes', limits, `its record batches declare more than ${formatCount(limits.maxDecompressedBytes)} bytes`);
      }
      offset = bodyStart + bodyLength;
    }
  } finally {
    await handle.close();
  }
}

/**
 * An Apache Arrow IPC (stream or file/Feather v2) table with the generic columns. Its declared sizes are
 * checked against the caps first (etl/limits.ts); batches are then read one at a time. Rows are numbered by
 * record, from 1, since Arrow has no header row.
 */
export async function openArrowIpc(path: string): Promise<ObservationSource> {
  const file = basename(path);
  await checkArrowMagic(path, file);
  await checkDeclaredSizes(path, file, inputLimits());
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
      const batches = reader[Symbol.asyncIterator]();
      for (;;) {
        let next;
        try {
          next = await batches.next();
        } catch (error) {
          throw new LoadRejectedError(file, [{ file, row: row + 1, reason: `the Arrow data cannot be read (${(error as Error).message})` }]);
        }
        if (next.done) break;
        const batch = next.value;
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
