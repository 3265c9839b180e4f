import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { LoadRejectedError } from '../problems';
import { resolveColumns } from './columns';
import { genericColumns } from './generic-csv';
import { measureFields, type ObservationField, type ObservationSource } from './raw-observation';

type CellValue = string | number | bigint | boolean | null | undefined;
const asText = (value: CellValue) => (value === null || value === undefined ? '' : String(value));
const asMeasure = (value: CellValue): string | number | null =>
  value === null || value === undefined ? null : typeof value === 'number' ? value : String(value);

async function readMetadata(path: string, file: string) {
  try {
    const buffer = await asyncBufferFromFile(path);
    return { buffer, metadata: await parquetMetadataAsync(buffer) };
  } catch (error) {
    throw new LoadRejectedError(file, [{ file, row: 0, reason: `not a readable Parquet file (${(error as Error).message})` }]);
  }
}

/**
 * A Parquet file with the generic columns (hyparquet, a dependency-free reader). Row groups are read one at a
 * time, so memory follows the writer's row-group size rather than the file's. Rows are numbered from 1.
 */
export async function openParquet(path: string): Promise<ObservationSource> {
  const file = basename(path);
  const { buffer, metadata } = await readMetadata(path, file);
  const header = parquetSchema(metadata).children.map((child) => child.element.name);
  const positions = resolveColumns(file, header, genericColumns, { allowUnknown: false });
  const columns = Object.fromEntries([...positions].map(([field, index]) => [field, header[index]])) as Partial<Record<ObservationField, string>>;
  const names = [...positions.values()].map((index) => header[index]);
  return {
    format: 'parquet',
    file,
    columns,
    skippedRows: () => 0,
    async *rows() {
      let rowStart = 0;
      for (const group of metadata.row_groups) {
        const rowEnd = rowStart + Number(group.num_rows);
        const records = await parquetReadObjects({ file: buffer, metadata, columns: names, rowStart, rowEnd });
        for (let i = 0; i < records.length; i++) {
          const record = records[i] as Record<string, CellValue>;
          const cell = (field: ObservationField) => (columns[field] === undefined ? undefined : record[columns[field]!]);
          yield {
            row: rowStart + i + 1,
            indicator: asText(cell('indicator')),
            organisation: asText(cell('organisation')),
            period: asText(cell('period')),
            measures: Object.fromEntries(measureFields.map((field) => [field, asMeasure(cell(field))])),
          };
        }
        rowStart = rowEnd;
      }
    },
  };
}
