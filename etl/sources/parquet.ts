import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { parquetHeader } from 'hyparquet/src/column.js';
import { formatCount, inputLimits, overCap, type InputLimits } from '../limits';
import { LoadRejectedError } from '../problems';
import { resolveColumns } from './columns';
import { genericColumns } from './generic-csv';
import { measureFields, type ObservationField, type ObservationSource } from './raw-observation';

type CellValue = string | number | bigint | boolean | null | undefined;
const asText = (value: CellValue) => (value === null || value === undefined ? '' : String(value));
const asMeasure = (value: CellValue): string | number | bigint | null =>
  value === null || value === undefined ? null : typeof value === 'number' || typeof value === 'bigint' ? value : String(value);

/** Rows decoded at a time: memory follows this (or a page, if larger), not the row group. */
const sliceRows = 65_536;

const refused = (file: string, reason: string) => new LoadRejectedError(file, [{ file, row: 0, reason }]);

/** Other files renamed .parquet are named as what they are, before the Parquet reader sees them. */
async function checkMagic(path: string, file: string): Promise<void> {
  const handle = await open(path, 'r');
  try {
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) throw refused(file, 'not a Parquet file: it is a zip archive; unzip it and load the file inside');
    if (head.subarray(0, 3).equals(Buffer.from([0x1f, 0x8b, 0x08]))) throw refused(file, 'not a Parquet file: it is gzip-compressed; decompress it first');
  } finally {
    await handle.close();
  }
}

async function readMetadata(path: string, file: string) {
  try {
    const buffer = await asyncBufferFromFile(path);
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (error) {
    throw refused(file, `not a readable Parquet file (${(error as Error).message})`);
  }
}

/**
 * What decoding would cost, from the file's own declarations, refused over a cap before anything is decoded:
 * the row count (the file's and its row groups'), each chosen column chunk's uncompressed size, and each page
 * header in those chunks (a page's values and uncompressed size, which a lying footer could understate).
 * Returns the most rows any one page holds.
 */
async function checkDeclaredSizes(file: string, buffer: AsyncBuffer, metadata: FileMetaData, names: string[], limits: InputLimits): Promise<number> {
  const declaredRows = Number(metadata.num_rows);
  if (declaredRows > limits.maxRows) throw overCap(file, 'maxRows', limits, `the file declares ${formatCount(declaredRows)} rows`);
  const groupRows = metadata.row_groups.reduce((sum, group) => sum + Number(group.num_rows), 0);
  if (groupRows !== declaredRows) throw refused(file, `not a readable Parquet file (its row groups hold ${formatCount(groupRows)} rows but it declares ${formatCount(declaredRows)})`);
  let declaredBytes = 0;
  let pageBytes = 0;
  let largestPage = 0;
  for (const group of metadata.row_groups) {
    for (const chunk of group.columns) {
      const meta = chunk.meta_data;
      if (!meta || !names.includes(meta.path_in_schema[0])) continue;
      declaredBytes += Number(meta.total_uncompressed_size);
      if (declaredBytes > limits.maxDecompressedBytes) throw overCap(file, 'maxDecompressedBytes', limits, `its columns declare more than ${formatCount(limits.maxDecompressedBytes)} bytes uncompressed`);
      const start = Number(meta.dictionary_page_offset ?? meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      if (start < 0 || end > buffer.byteLength) throw refused(file, `not a readable Parquet file (column "${meta.path_in_schema.join('.')}" lies outside the file)`);
      const bytes = await buffer.slice(start, end);
      const reader = { view: new DataView(bytes), offset: 0 };
      let values = 0;
      while (reader.offset < bytes.byteLength) {
        let header;
        try {
          header = parquetHeader(reader);
        } catch (error) {
          throw refused(file, `not a readable Parquet file (a page header in column "${meta.path_in_schema.join('.')}": ${(error as Error).message})`);
        }
        const pageValues = Number(header.data_page_header?.num_values ?? header.data_page_header_v2?.num_values ?? 0);
        values += pageValues;
        largestPage = Math.max(largestPage, pageValues);
        pageBytes += Number(header.uncompressed_page_size);
        if (values > Number(group.num_rows)) {
          throw refused(file, `not a readable Parquet file (column "${meta.path_in_schema.join('.')}" has pages of ${formatCount(values)} values in a row group of ${formatCount(Number(group.num_rows))} rows)`);
        }
        if (pageBytes > limits.maxDecompressedBytes) throw overCap(file, 'maxDecompressedBytes', limits, `its pages expand to more than ${formatCount(limits.maxDecompressedBytes)} bytes`);
        reader.offset += header.compressed_page_size;
      }
    }
  }
  return largestPage;
}

/**
 * A Parquet file with the generic columns (hyparquet, a dependency-free reader). Its declared sizes are
 * checked against the caps first (etl/limits.ts); rows are then decoded a slice at a time, so memory follows
 * the slice rather than the row group or what the file claims. Rows are numbered from 1.
 */
export async function openParquet(path: string): Promise<ObservationSource> {
  const file = basename(path);
  const limits = inputLimits();
  await checkMagic(path, file);
  const { buffer, metadata } = await readMetadata(path, file);
  const header = parquetSchema(metadata).children.map((child) => child.element.name);
  const positions = resolveColumns(file, header, genericColumns, { allowUnknown: false });
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]])) as Partial<Record<ObservationField, string>>;
  const names = [...positions.values()].map((index) => header[index]);
  const largestPage = await checkDeclaredSizes(file, buffer, metadata, names, limits);
  // A slice smaller than a page would decode that page once per slice.
  const slice = Math.max(sliceRows, largestPage);
  return {
    format: 'parquet',
    file,
    columns,
    skippedRows: () => 0,
    async *rows() {
      const total = Number(metadata.num_rows);
      for (let rowStart = 0; rowStart < total; rowStart += slice) {
        const rowEnd = Math.min(total, rowStart + slice);
        let records: Record<string, CellValue>[];
        try {
          records = (await parquetReadObjects({ file: buffer, metadata, columns: names, rowStart, rowEnd })) as Record<string, CellValue>[];
        } catch (error) {
          throw new LoadRejectedError(file, [{ file, row: rowStart + 1, reason: `the Parquet data cannot be read (${(error as Error).message})` }]);
        }
        for (let i = 0; i < records.length; i++) {
          const record = records[i];
          const cell = (field: ObservationField) => (columns[field] === undefined ? undefined : record[columns[field]!]);
          yield {
            row: rowStart + i + 1,
            indicator: asText(cell('indicator')),
            organisation: asText(cell('organisation')),
            period: asText(cell('period')),
            measures: Object.fromEntries(measureFields.map((field) => [field, asMeasure(cell(field))])),
          };
        }
      }
    },
  };
}
