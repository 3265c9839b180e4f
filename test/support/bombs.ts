import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Message, tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';

/**
 * Input bombs, made by the test rather than committed: small files that declare or expand to far more than the
 * loader's caps (etl/limits.ts), and files that are not what their name says.
 */
export interface Bomb {
  name: string;
  path: string;
  /** A part of the refusal's first problem that says why. */
  reason: RegExp;
}

/** Identical dictionary/RLE-encoded rows: a few kilobytes that decode to `rows` rows. */
export function parquetRowBomb(rows: number): Uint8Array {
  const same = <T>(value: T) => new Array<T>(rows).fill(value);
  return new Uint8Array(
    parquetWriteBuffer({
      columnData: [
        { name: 'indicator_code', data: same('READMIT'), type: 'STRING' },
        { name: 'organisation_code', data: same('RZA'), type: 'STRING' },
        { name: 'period', data: same('2024/25 Q1'), type: 'STRING' },
        { name: 'numerator', data: same(1), type: 'INT32' },
        { name: 'denominator', data: same(2), type: 'INT32' },
      ],
      rowGroupSize: rows,
    }),
  );
}

/** A valid Arrow IPC stream of 777 rows whose batch and field lengths are patched to `rows`, or whose body length is patched past the end of the file. */
export function arrowBomb(patch: 'rows' | 'body', rows = 50_000_000): Uint8Array {
  const count = 777;
  const bytes = Buffer.from(
    tableToIPC(
      tableFromArrays({
        indicator_code: new Array(count).fill('READMIT'),
        organisation_code: new Array(count).fill('RZA'),
        period: new Array(count).fill('2024/25 Q1'),
        numerator: Float64Array.from({ length: count }, () => 1),
        denominator: Float64Array.from({ length: count }, () => 2),
      }),
      'stream',
    ),
  );
  // Walk the messages to the record batch and patch its metadata's int64s in place.
  let offset = 0;
  for (;;) {
    const length = bytes.readInt32LE(offset + 4);
    const metadata = bytes.subarray(offset + 8, offset + 8 + length);
    const message = Message.decode(metadata);
    if (message.isRecordBatch()) {
      const find = patch === 'rows' ? BigInt(count) : BigInt(message.bodyLength);
      const to = patch === 'rows' ? BigInt(rows) : 1n << 40n;
      for (let i = 0; i + 8 <= metadata.length; i += 8) if (metadata.readBigInt64LE(i) === find) metadata.writeBigInt64LE(to, i);
      return bytes;
    }
    offset += 8 + length + Number(message.bodyLength);
  }
}

/** A zip archive's first bytes (a local file header) and a little more. */
export const zipBytes = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 0x08, 0]), Buffer.alloc(200, 7)]);

/** A CSV whose second row holds one field of `megabytes` MB, written in chunks. */
export async function writeHugeFieldCsv(path: string, megabytes: number): Promise<void> {
  const out = createWriteStream(path);
  out.write('indicator_code,organisation_code,period,numerator,denominator\nREADMIT,');
  const chunk = 'R'.repeat(1 << 20);
  for (let i = 0; i < megabytes; i++) if (!out.write(chunk)) await once(out, 'drain');
  out.end(',2024/25 Q1,1,2\n');
  await once(out, 'finish');
}

/** Every bomb, written into `folder`; the CSV field is 100 MB unless told (an upload is capped at 100 MiB in all). */
export async function writeBombs(folder: string, write: (name: string, content: Uint8Array) => string, fieldMegabytes = 100): Promise<Bomb[]> {
  const hugeField = join(folder, 'huge-field.csv');
  await writeHugeFieldCsv(hugeField, fieldMegabytes);
  return [
    { name: 'rle-4m.parquet', path: write('rle-4m.parquet', parquetRowBomb(4_000_000)), reason: /declares 4,000,000 rows; the cap is 2,000,000 rows \(VARIATION_ATLAS_MAX_ROWS\)/ },
    { name: 'rows.arrows', path: write('rows.arrows', arrowBomb('rows')), reason: /declares more than 2,000,000 rows; the cap is 2,000,000 rows \(VARIATION_ATLAS_MAX_ROWS\)/ },
    { name: 'body.arrows', path: write('body.arrows', arrowBomb('body')), reason: /declares a body of 1,099,511,627,776 bytes but [\d,]+ remain/ },
    { name: 'huge-field.csv', path: hugeField, reason: /the row is longer than 1,048,576 characters; the cap is 1,048,576 characters \(VARIATION_ATLAS_MAX_ROW_CHARACTERS\)/ },
    { name: 'archive.parquet', path: write('archive.parquet', zipBytes), reason: /not a Parquet file: it is a zip archive/ },
  ];
}
