import fc from 'fast-check';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DatabaseHandle } from '../../db';
import { loadObservations } from '../../etl/load/load-observations';
import { loadIndicators, loadMemberships, loadNetworks, loadOrganisations } from '../../etl/load/load-reference';
import { LoadRejectedError } from '../../etl/problems';
import { openObservationSource } from '../../etl/sources/open-source';
import { referenceFiles } from '../support/etl-fixtures';
import { databaseFingerprint } from '../support/fingerprint';

/**
 * Malformed observation files made in bulk: a valid file of mixed measure kinds with one thing broken in one
 * row (a bad number, a missing column, a numerator above its denominator, an unknown code, a bad period,
 * broken quoting, a truncated end, bytes that are not UTF-8). Each must be refused, with the problem reported
 * at the row and column that was broken, and leave the database exactly as it was.
 */

const columns = ['indicator_code', 'organisation_code', 'period', 'numerator', 'denominator', 'observed', 'expected', 'value', 'value_lower', 'value_upper'] as const;
type Column = (typeof columns)[number];
type Row = Partial<Record<Column, string>>;

const organisations = ['RZA', 'RZB', 'RZC'];
const periods = ['2024/25 Q1', '2024/25 Q2', '2024/25 Q3', '2022/23', '2024-05'];
const indicators = ['READMIT', 'SHMI', 'CDIFF', 'LOS', '90360'] as const;
/** The figures each indicator's measure kind uses: a broken one of these must be caught. */
const figures: Record<(typeof indicators)[number], Column[]> = {
  READMIT: ['numerator', 'denominator'],
  CDIFF: ['numerator', 'denominator'],
  SHMI: ['observed', 'expected'],
  LOS: ['value', 'value_lower', 'value_upper'],
  '90360': ['value'],
};

const validRow = (indicator: (typeof indicators)[number], organisation: string, period: string, size: number, share: number): Row => {
  const base = { indicator_code: indicator, organisation_code: organisation, period };
  const denominator = 50 + size;
  if (indicator === 'READMIT') return { ...base, numerator: String(Math.round(denominator * share)), denominator: String(denominator) };
  if (indicator === 'CDIFF') return { ...base, numerator: String(Math.round(size * share)), denominator: String(denominator * 100) };
  if (indicator === 'SHMI') return { ...base, observed: String(Math.round(size * share * 2)), expected: (size / 2 + 1).toFixed(2) };
  const value = (2 + share * 5).toFixed(2);
  return indicator === 'LOS' ? { ...base, value, value_lower: (Number(value) - 0.5).toFixed(2), value_upper: (Number(value) + 0.5).toFixed(2) } : { ...base, value: (share * 900).toFixed(1) };
};

/** Between 2 and 40 valid rows with distinct (indicator, organisation, period) keys. */
const validRows: fc.Arbitrary<Row[]> = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...indicators), fc.constantFrom(...organisations), fc.constantFrom(...periods)), {
    minLength: 2,
    maxLength: 40,
    selector: ([indicator, organisation, period]) => `${indicator}|${organisation}|${period}`,
  })
  .chain((keys) =>
    fc.tuple(fc.constant(keys), fc.array(fc.tuple(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 1, noNaN: true })), { minLength: keys.length, maxLength: keys.length })),
  )
  .map(([keys, sizes]) => keys.map(([indicator, organisation, period], i) => validRow(indicator, organisation, period, sizes[i][0], sizes[i][1])));

const badNumbers = ['abc', '1,234', 'NaN', '4%', '12a', '--1', '0x1F', 'Infinity', '½', '١٢', '1 2', '.', '-', '1.2.3', '£12', 'null', '#N/A', '1/2'];
const badPeriods = ['2024-13', 'Spring 2024', '2024/25 Q5', '13/2024', '2024/27', 'Q1 2024/25', '2024-00', 'tomorrow', '20245', '2024..2023'];

export interface MalformedFile {
  kind: string;
  content: string | Uint8Array;
  /** Where the loader must report the problem: the spreadsheet row (1 is the header) and, when it has one, the column. */
  row: number;
  column?: string;
}

const field = (value = '') => (/[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
const line = (header: readonly Column[], row: Row) => header.map((column) => field(row[column])).join(',');
const csv = (header: readonly Column[], rows: Row[]) => [header.join(','), ...rows.map((row) => line(header, row))].join('\n') + '\n';

/** One valid file broken in one way, at a chosen row. */
const malformedFile: fc.Arbitrary<MalformedFile> = fc
  .tuple(validRows, fc.nat(), fc.constantFrom(...Array.from({ length: 12 }, (_, kind) => kind)), fc.constantFrom(...badNumbers), fc.constantFrom(...badPeriods), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 12 }), fc.nat())
  .map(([rows, pick, kind, badNumber, badPeriod, text, offset]): MalformedFile => {
    const k = pick % rows.length;
    const row = k + 2;
    const target = rows[k];
    const indicator = target.indicator_code as (typeof indicators)[number];
    const unknownCode = `Q${text.replace(/[^A-Za-z0-9]/g, '')}X`;
    switch (kind) {
      case 0: {
        const column = figures[indicator][offset % figures[indicator].length];
        rows[k] = { ...target, [column]: badNumber };
        return { kind: 'a bad number', content: csv(columns, rows), row, column };
      }
      case 1: {
        const column = (['indicator_code', 'organisation_code', 'period'] as const)[offset % 3];
        return { kind: 'a missing column', content: csv(columns.filter((name) => name !== column), rows), row: 1, column };
      }
      case 2: {
        const denominator = 20 + (offset % 1000);
        rows[k] = { indicator_code: 'READMIT', organisation_code: target.organisation_code, period: target.period, numerator: String(denominator + 1 + (offset % 7)), denominator: String(denominator) };
        return { kind: 'a numerator above its denominator', content: csv(columns, rows), row, column: 'numerator' };
      }
      case 3: {
        const amount = `-${1 + (offset % 50)}`;
        if (indicator === 'READMIT' || indicator === 'CDIFF') rows[k] = { ...target, numerator: amount };
        else if (indicator === 'SHMI') rows[k] = { ...target, observed: amount };
        else if (indicator === '90360') rows[k] = { ...target, value: amount };
        // A mean may be negative, but never below its own lower limit.
        else rows[k] = { ...target, value_lower: String(Number(target.value) + 1) };
        const column = indicator === 'READMIT' || indicator === 'CDIFF' ? 'numerator' : indicator === 'SHMI' ? 'observed' : 'value';
        return { kind: 'a negative count or a value outside its limits', content: csv(columns, rows), row, column };
      }
      case 4:
        return { kind: 'an unknown indicator', content: csv(columns, replaceAt(rows, k, { indicator_code: unknownCode })), row, column: 'indicator_code' };
      case 5:
        return { kind: 'an unknown organisation', content: csv(columns, replaceAt(rows, k, { organisation_code: unknownCode })), row, column: 'organisation_code' };
      case 6:
        return { kind: 'a bad period', content: csv(columns, replaceAt(rows, k, { period: badPeriod })), row, column: 'period' };
      case 7: {
        const lines = csv(columns, rows).split('\n');
        lines[k + 1] = lines[k + 1].replace(',', ',"');
        return { kind: 'broken quoting', content: lines.join('\n'), row };
      }
      case 8: {
        // Cut inside the row, after its first character and before its last separator: the last row is short of fields.
        const text = csv(columns, rows);
        const start = text.split('\n').slice(0, k + 1).join('\n').length + 1;
        const lastComma = line(columns, target).lastIndexOf(',');
        return { kind: 'a truncated file', content: text.slice(0, start + 1 + (offset % (lastComma - 1))), row };
      }
      case 9: {
        const lines = csv(columns, rows).split('\n');
        lines[k + 1] += `,${text.replace(/[,"\n\r]/g, '') || 'x'}`;
        return { kind: 'an extra field', content: lines.join('\n'), row };
      }
      case 10: {
        const lines = csv(columns, rows).split('\n');
        const invalid = [[0xff], [0xc3, 0x28], [0xe2, 0x82], [0x80]][offset % 4];
        const before = Buffer.from(lines.slice(0, k + 1).join('\n') + '\n');
        return { kind: 'bytes that are not UTF-8', content: Buffer.concat([before, Buffer.from(invalid), Buffer.from(lines.slice(k + 1).join('\n'))]), row };
      }
      default:
        return { kind: 'a duplicate row', content: csv(columns, [...rows.slice(0, k + 1), rows[k], ...rows.slice(k + 1)]), row: row + 1, column: 'organisation_code' };
    }
  });

function replaceAt(rows: Row[], k: number, change: Row): Row[] {
  return rows.map((row, i) => (i === k ? { ...row, ...change } : row));
}

export function malformedFiles(count: number, seed: number): MalformedFile[] {
  return fc.sample(malformedFile, { numRuns: count, seed });
}

/** The reference set and one loaded batch, so a half-load would show in the fingerprint. */
export async function prepareMalformedTarget(handle: DatabaseHandle, folder: string): Promise<void> {
  const write = (name: string, content: string) => {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  };
  await loadOrganisations(handle, write('organisations.csv', referenceFiles['organisations.csv']));
  await loadNetworks(handle, write('networks.csv', referenceFiles['networks.csv']));
  await loadMemberships(handle, write('network_memberships.csv', referenceFiles['network_memberships.csv']));
  await loadIndicators(handle, write('indicators.csv', referenceFiles['indicators.csv']));
  const existing = write('existing.csv', `${columns.join(',')}\nREADMIT,RZA,2024/25 Q1,5,50,,,,,\nSHMI,RZB,2022/23,,,40,38.5,,,\n`);
  await loadObservations(handle, await openObservationSource(existing), existing);
}

export interface MalformedReport {
  tried: number;
  byKind: Record<string, number>;
  /** Files that changed the database (loaded, or half-loaded). */
  halfLoads: string[];
  /** Files refused without a problem at the broken row and column, or with a problem lacking file or reason. */
  misreported: string[];
}

/** Loads each file through the real loader and checks the refusal and the database. */
export async function tryMalformedFiles(handle: DatabaseHandle, folder: string, files: MalformedFile[]): Promise<MalformedReport> {
  const report: MalformedReport = { tried: 0, byKind: {}, halfLoads: [], misreported: [] };
  let before = await databaseFingerprint(handle.db);
  for (const [i, file] of files.entries()) {
    const name = `malformed-${i}.csv`;
    const path = join(folder, name);
    writeFileSync(path, file.content);
    const outcome = await (async () => loadObservations(handle, await openObservationSource(path), path))().then(
      () => undefined,
      (error: unknown) => error,
    );
    report.tried++;
    report.byKind[file.kind] = (report.byKind[file.kind] ?? 0) + 1;
    const after = await databaseFingerprint(handle.db);
    if (JSON.stringify(after) !== JSON.stringify(before)) {
      report.halfLoads.push(`${name} (${file.kind})`);
      before = after;
    }
    if (!(outcome instanceof LoadRejectedError)) {
      report.misreported.push(`${name} (${file.kind}): ${outcome === undefined ? 'loaded' : String(outcome)}`);
      continue;
    }
    const complete = outcome.problems.every((problem) => problem.file === name && problem.reason.length > 0);
    const located = outcome.problems.some((problem) => problem.row === file.row && (file.column === undefined || problem.column === file.column));
    if (!complete || !located) {
      report.misreported.push(`${name} (${file.kind}): expected row ${file.row}${file.column ? ` column ${file.column}` : ''}; got ${outcome.message.split('\n').slice(1, 3).join(' | ')}`);
    }
  }
  return report;
}
