/**
 * Makes the England example's extract from the public files in ../shared/data (or VARIATION_ATLAS_SHARED_DIR's
 * data folder): `npx tsx examples/england/make-extract.ts`. Each kept row is the published line itself, byte for
 * byte, so the product's own readers load the extract exactly as they load the publication.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The A&E year kept: April 2018 to March 2019, as the file's first-of-month dates. */
export const aeFirstMonth = '2018-04-01';
export const aeLastMonth = '2019-03-01';

/** Each extract file: its name here, the published file it comes from, and which of its rows it keeps. */
export const extractFiles = [
  { name: 'ods_etr_2026.csv', source: 'reference/ods_etr_2026.csv', keep: () => () => true, headed: false },
  { name: 'cwt_2026-01_provider_level.csv', source: 'cancer_waiting_times/cwt_2026-01_provider_level.csv', keep: () => cwtHeadline, headed: true },
  { name: 'ae_attendances_2018-19.csv', source: 'ae_attendances/ae_attendances.csv', keep: () => aeYear, headed: true },
  { name: 'shmi_observed_expected_latest.csv', source: 'shmi_2011_2014/shmi_observed_expected.csv', keep: latestShmi, headed: true },
] as const satisfies readonly {
  name: string;
  source: string;
  keep: (rows: Record<string, string>[]) => (row: Record<string, string>) => boolean;
  headed: boolean;
}[];

// The rows the CWT reader keeps (etl/sources/cwt-csv.ts): each standard's headline row, England's Total left out.
const headlineRoute: Record<string, string> = { FDS: 'ALL ROUTES', '31D': 'ALL STAGES', '62D': 'ALL ROUTES' };
function cwtHeadline(row: Record<string, string>): boolean {
  const standard = row['Standard'];
  return (
    row['Org Code'] !== 'Total' &&
    row['Cancer Type'] === 'ALL CANCERS' &&
    row['Referral Route/Stage'] === headlineRoute[standard] &&
    row['Treatment Modality'] === (standard === 'FDS' ? '' : 'ALL MODALITIES')
  );
}

const aeYear = (row: Record<string, string>) => row['period'] >= aeFirstMonth && row['period'] <= aeLastMonth;

// The latest publication's rolling year: its data_period (YYYY-MM..YYYY-MM) sorts last.
function latestShmi(rows: Record<string, string>[]) {
  const latest = rows.map((row) => row['data_period']).sort().at(-1);
  return (row: Record<string, string>) => row['data_period'] === latest;
}

/** The extract's files by name, made from the shared data folder. */
export function makeExtract(dataDir: string): Map<string, string> {
  return new Map(
    extractFiles.map(({ name, source, keep, headed }) => {
      const text = readFileSync(join(dataDir, source), 'utf8');
      const lines = text.split(/(?<=\n)/);
      const header = headed ? splitLine(lines[0]) : [];
      const body = headed ? lines.slice(1) : lines;
      const rows = body.map((line) => Object.fromEntries(splitLine(line).map((cell, i) => [header[i] ?? String(i), cell])));
      const kept = keep(rows);
      return [name, (headed ? lines[0] : '') + body.filter((_, i) => kept(rows[i])).join('')];
    }),
  );
}

/** One CSV line's cells (quoted or not). The files have no line breaks inside quotes; one would be refused. */
function splitLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (const ch of line.replace(/\r?\n$/, '')) {
    if (ch === '"') quoted = !quoted;
    else if (ch === ',' && !quoted) {
      cells.push(cell);
      cell = '';
    } else cell += ch;
  }
  if (quoted) throw new Error(`a quoted field runs past the end of the line: ${line.slice(0, 80)}`);
  return [...cells, cell];
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dataDir = join(process.env.VARIATION_ATLAS_SHARED_DIR ?? join(here, '..', '..', '..', 'shared'), 'data');
  for (const [name, text] of makeExtract(dataDir)) {
    writeFileSync(join(here, name), text);
    console.log(`${name}: ${text.split('\n').length - 1} lines, ${Buffer.byteLength(text)} bytes`);
  }
}
