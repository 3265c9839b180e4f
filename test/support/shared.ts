import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeNeeding, prerequisites, sharedRoot } from './prerequisites';

export const sharedAvailable = prerequisites.shared.missing() === undefined;

export function sharedPath(...parts: string[]): string {
  return join(sharedRoot, ...parts);
}

/** A describe block that runs where ../shared exists; without it, failing under CI and skipped elsewhere. */
export function describeWithShared(name: string, body: () => void): void {
  describeNeeding('shared', name, body);
}

/** A shared CSV file's rows by its header (oracle files, NHS data): see `parseCsvRecords`. */
export function readSharedCsv(...parts: string[]): Record<string, string>[] {
  return parseCsvRecords(readFileSync(sharedPath(...parts), 'utf8').replace(/^\uFEFF/, ''));
}

/**
 * Minimal RFC 4180 CSV reader, independent of the product's own (quoted fields, embedded commas, NA kept as
 * text): the tests read oracle files and the API's CSV answers with it.
 */
export function parseCsvRecords(text: string): Record<string, string>[] {
  const [header, ...body] = parseCsv(text);
  return body
    .filter((cells) => cells.length > 1 || cells[0] !== '')
    .map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

export function readSharedJson<T = unknown>(...parts: string[]): T {
  return JSON.parse(readFileSync(sharedPath(...parts), 'utf8')) as T;
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
