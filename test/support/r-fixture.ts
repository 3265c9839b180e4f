import { readFileSync } from 'node:fs';

/** A CSV written by one of the R scripts under test/fixtures (quoted names, unquoted numbers), as rows of strings. */
export function rFixture(path: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8').trim().split('\n');
  const columns = header.split(',').map((name) => name.replace(/"/g, ''));
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [columns[i], cell.replace(/"/g, '')])));
}
