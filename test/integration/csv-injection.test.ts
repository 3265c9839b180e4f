import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { toCsv } from '../../etl/csv/csv-write';
import { generateDemoData } from '../../etl/demo/generate-demo';
import { plantedEffects } from '../../etl/demo/planted-effects';
import { loadObservations } from '../../etl/load/load-observations';
import { loadOrganisations } from '../../etl/load/load-reference';
import { openObservationSource } from '../../etl/sources/open-source';
import { describeDemoApi } from '../support/demo-api';
import { temporaryFolder } from '../support/etl-fixtures';
import { itNeeding } from '../support/prerequisites';

/**
 * Organisations named like spreadsheet formulas (CSV injection), loaded through the ETL as any name is. Every
 * CSV the product writes must hand them to Excel as text (OWASP: a leading single quote, the cell quoted),
 * while numbers, negative ones included, stay numbers; the PPTX, PDF and SVG show them as they are.
 */
const hostileNames = [
  '=HYPERLINK("http://evil.example", "Kellbourne Trust")',
  "+cmd|' /C calc'!A0 Trust",
  "-2+3+cmd|' /C calc'!A0 Trust",
  "@SUM(1+1)*cmd|' /C calc'!A0 Trust",
];
const network = 'KB-CVD-SCN';
const indicator = 'VA-SHMI';
const demo = generateDemoData();
const period = demo.periods.at(-1)!.label;
const packIndicators = ['VA-SHMI', 'VA-READM30', 'VA-FDS28'];
// Trusts planted as the network's outliers, so the names are in the pack's summary and findings too.
const renamed = [...new Set(plantedEffects.filter((effect) => packIndicators.includes(effect.indicatorCode)).map((effect) => effect.organisationCode))].slice(0, hostileNames.length);
const nameOf = new Map(renamed.map((code, i) => [code, hostileNames[i]]));

/** Whether a spreadsheet would run the cell: it starts with a formula character and is not a plain number. */
const runnable = (cell: string) => /^[=+\-@\t\r]/.test(cell) && !/^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(cell);

/** Every cell of a CSV as a spreadsheet reads it. */
const cellsOf = (csv: string): string[] => (parse(csv, { relax_column_count: true }) as string[][]).flat();

const decodeXml = (text: string) => text.replace(/&(apos|quot|lt|gt|amp|#39|#34);/g, (_, name: string) => ({ apos: "'", quot: '"', lt: '<', gt: '>', amp: '&', '#39': "'", '#34': '"' })[name]!);

describeDemoApi('formula injection through every CSV', ({ app, database }) => {
  const files = temporaryFolder();
  afterAll(() => files.remove());

  beforeAll(async () => {
    expect(renamed).toHaveLength(hostileNames.length);
    const rows = demo.organisations.filter((row) => nameOf.has(row.code)).map((row) => ({ ...row, name: nameOf.get(row.code)! }));
    expect(await loadOrganisations(database(), files.write('organisations.csv', toCsv(['code', 'name', 'kind', 'parent_code', 'opened_on', 'closed_on'], rows)))).toBe(hostileNames.length);
  });

  const download = async (path: string) => {
    const response = await app().request(path);
    expect(response.status, path).toBe(200);
    expect(response.headers.get('content-type'), path).toContain('text/csv');
    return response.text();
  };

  const csvPaths = [
    `/api/funnel?indicator=${indicator}&network=${network}&format=csv`,
    `/api/exports/funnel?indicator=${indicator}&network=${network}&format=csv`,
    `/api/exports/caterpillar?indicator=${indicator}&network=${network}&format=csv`,
    `/api/exports/spc?indicator=${indicator}&organisation=${renamed[0]}&format=csv`,
    `/api/exports/tartan?network=${network}&format=csv`,
    `/api/exports/spine?organisation=${renamed[0]}&format=csv`,
  ];

  // The SPC, tartan and spine CSVs hold codes rather than names today: the check keeps them to the rule.
  it.each(csvPaths)('%s holds no cell a spreadsheet would run', async (path) => {
    const cells = cellsOf(await download(path));
    expect(cells.length).toBeGreaterThan(1);
    expect(cells.filter(runnable)).toEqual([]);
  });

  it('writes each hostile name as quote-prefixed text, and negative z-scores as numbers', async () => {
    for (const path of csvPaths.slice(0, 3)) {
      const csv = await download(path);
      const cells = cellsOf(csv);
      for (const name of hostileNames) expect(cells, path).toContain(`'${name}`);
      expect(csv, path).toMatch(/,-\d+(\.\d+)?,/);
      expect(cells.some((cell) => /^-\d/.test(cell)), path).toBe(true);
    }
  });

  it('shows the names as plain text in the SVG charts', async () => {
    for (const path of [`/api/exports/spine?organisation=${renamed[0]}&format=svg`, `/api/exports/spc?indicator=${indicator}&organisation=${renamed[1]}&format=svg`]) {
      const svg = decodeXml(await (await app().request(path)).text());
      const name = nameOf.get(path.includes('spine') ? renamed[0] : renamed[1])!;
      expect(svg, path).toContain(name);
      expect(svg, path).not.toContain(`'${name}`);
    }
  });

  const pack = async (format: 'pptx' | 'pdf') => {
    const response = await app().request(`/api/packs?network=${network}&period=${encodeURIComponent(period)}&indicators=${packIndicators.join(',')}&format=${format}`);
    expect(response.status).toBe(200);
    return new Uint8Array(await response.arrayBuffer());
  };

  it('shows the names as plain text in the PowerPoint pack', async () => {
    const zip = await JSZip.loadAsync(await pack('pptx'));
    const slides = await Promise.all(Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name)).map((name) => zip.file(name)!.async('string')));
    const text = slides.map((xml) => [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => decodeXml(match[1])).join(' ')).join(' ');
    for (const name of hostileNames) {
      expect(text).toContain(name);
      expect(text).not.toContain(`'${name}`);
    }
  });

  itNeeding('poppler', 'shows the names as plain text in the PDF pack', async () => {
    const path = files.write('pack.pdf', await pack('pdf'));
    const text = execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    for (const name of hostileNames) {
      expect(text).toContain(name);
      expect(text).not.toContain(`'${name}`);
    }
  });

  it('defuses the ETL’s rejects file, keeping its numbers as numbers', async () => {
    const organisation = demo.organisations.find((row) => row.kind === 'trust')!.code;
    const observations = [
      'indicator_code,organisation_code,period,numerator,denominator',
      `VA-AE4H,${organisation},2015/16 Q1,10,100`,
      `VA-AE4H,"${hostileNames[0].replaceAll('"', '""')}",2015/16 Q1,10,100`,
      `"${hostileNames[1]}",${organisation},2015/16 Q1,10,100`,
      `VA-AE4H,${renamed[0]},2015/16 Q1,-5,100`,
    ].join('\n');
    const path = files.write('observations.csv', observations);
    const rejectsPath = join(files.folder, 'rejects.csv');
    const result = await loadObservations(database(), await openObservationSource(path), path, { rejectsPath });
    expect(result).toMatchObject({ rows: 1, rejectedRows: 3 });
    const rejects = readFileSync(rejectsPath, 'utf8');
    const cells = cellsOf(rejects);
    expect(cells.filter(runnable)).toEqual([]);
    expect(cells).toEqual(expect.arrayContaining([`'${hostileNames[0]}`, `'${hostileNames[1]}`, '-5']));
  });
});
