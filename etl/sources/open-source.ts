import { basename, extname } from 'node:path';
import { readCsvHeader } from '../csv/csv-records';
import { EtlCommandError } from '../problems';
import { isAeHeader, openAeCsv } from './ae-csv';
import { isAgeBandHeader, openAgeBandsCsv } from './age-bands-csv';
import { openArrowIpc } from './arrow-ipc';
import { normaliseColumnName } from './columns';
import { isCwtHeader, openCwtCsv } from './cwt-csv';
import { openFingertipsCsv } from './fingertips-csv';
import { openGenericCsv } from './generic-csv';
import { openParquet } from './parquet';
import type { ObservationSource } from './raw-observation';
import { openShmiCsv, shmiColumns } from './shmi-csv';

export type ObservationFormat = 'generic' | 'fingertips' | 'shmi' | 'cwt' | 'ae' | 'age-bands' | 'arrow' | 'parquet';

export interface OpenSourceOptions {
  format?: ObservationFormat;
  /** SHMI files: our indicator code (default SHMI); SHMI and CWT files: the period when the file has no period column. */
  indicator?: string;
  period?: string;
  /** Fingertips files: Indicator ID → our indicator code. */
  indicatorMap?: ReadonlyMap<string, string>;
  /** Age-band files: a DSR's multiplier (default 100 000). */
  multiplier?: number;
}

/** Which reader fits a file: Arrow and Parquet by extension, Fingertips, CWT, A&E, age bands and SHMI by their header, else the generic CSV. */
export async function detectFormat(path: string): Promise<ObservationFormat> {
  if (['.arrow', '.feather', '.ipc', '.arrows'].includes(extname(path).toLowerCase())) return 'arrow';
  if (extname(path).toLowerCase() === '.parquet') return 'parquet';
  const header = await readCsvHeader(path);
  const names = new Set(header.map(normaliseColumnName));
  if (names.has('indicator id') && names.has('area code')) return 'fingertips';
  if (isCwtHeader(names)) return 'cwt';
  if (isAeHeader(names)) return 'ae';
  if (isAgeBandHeader(names)) return 'age-bands';
  const has = (field: string) => shmiColumns.find((spec) => spec.field === field)!.names.some((name) => names.has(normaliseColumnName(name)));
  if (!names.has('indicator code') && has('organisation') && has('observed') && has('expected')) return 'shmi';
  return 'generic';
}

export async function openObservationSource(path: string, options: OpenSourceOptions = {}): Promise<ObservationSource> {
  const format = options.format ?? (await detectFormat(path));
  switch (format) {
    case 'generic':
      return openGenericCsv(path);
    case 'fingertips':
      return openFingertipsCsv(path, { indicatorMap: options.indicatorMap });
    case 'shmi':
      return openShmiCsv(path, { indicator: options.indicator ?? 'SHMI', period: options.period });
    case 'cwt':
      return openCwtCsv(path, { period: options.period });
    case 'ae':
      return openAeCsv(path);
    case 'age-bands':
      return openAgeBandsCsv(path, { multiplier: options.multiplier });
    case 'arrow':
      return openArrowIpc(path);
    case 'parquet':
      return openParquet(path);
    default:
      throw new EtlCommandError(`${basename(path)}: unknown format "${format as string}"; use generic, fingertips, shmi, cwt, ae, age-bands, arrow or parquet`);
  }
}
