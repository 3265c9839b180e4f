import JSZip from 'jszip';

/**
 * A PowerPoint deck read as a reader's tools would: its native charts' cached series (what PowerPoint draws before
 * anyone edits the data) and the workbooks embedded behind them (what "Edit data" opens), each parsed from its XML.
 */
export const decodeXml = (text: string) =>
  text.replace(/&(apos|quot|lt|gt|amp|#\d+);/g, (_entity, name: string) => (name.startsWith('#') ? String.fromCharCode(Number(name.slice(1))) : ({ apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' } as Record<string, string>)[name]));

/** A cache's points by index: `<c:pt idx="3"><c:v>12.5</c:v></c:pt>`; a point left out is blank. */
function cachePoints(xml: string | undefined): Map<number, string> {
  const points = new Map<number, string>();
  for (const match of (xml ?? '').matchAll(/<c:pt idx="(\d+)"[^>]*>\s*<c:v>([^<]*)<\/c:v>\s*<\/c:pt>/g)) points.set(Number(match[1]), decodeXml(match[2]));
  return points;
}

export interface ChartSeries {
  name: string;
  /** x values (scatter) or categories (line), by row. */
  x: Map<number, string>;
  /** y values by row; a blank row has none. */
  y: Map<number, number>;
}

export interface DeckChart {
  part: string;
  kind: 'scatter' | 'line' | 'other';
  title: string;
  series: ChartSeries[];
  /** Every text size the chart sets, in hundredths of a point. */
  sizes: number[];
  xml: string;
}

/** Every chart part of the deck (ppt/charts/chartN.xml), in part order, with its series' cached values. */
export async function deckCharts(zip: JSZip): Promise<DeckChart[]> {
  const parts = Object.keys(zip.files)
    .filter((name) => /^ppt\/charts\/chart\d+\.xml$/.test(name))
    .sort((a, b) => Number(a.match(/(\d+)\.xml$/)![1]) - Number(b.match(/(\d+)\.xml$/)![1]));
  return Promise.all(
    parts.map(async (part) => {
      const xml = await zip.file(part)!.async('string');
      const title = [...(xml.match(/<c:title>[\s\S]*?<\/c:title>/)?.[0] ?? '').matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => decodeXml(match[1])).join('');
      const series = [...xml.matchAll(/<c:ser>([\s\S]*?)<\/c:ser>/g)].map(([, body]) => {
        const name = decodeXml(body.match(/<c:tx>[\s\S]*?<c:v>([^<]*)<\/c:v>/)?.[1] ?? '');
        const x = cachePoints(body.match(/<c:(xVal|cat)>([\s\S]*?)<\/c:\1>/)?.[2]);
        const y = new Map([...cachePoints(body.match(/<c:(yVal|val)>([\s\S]*?)<\/c:\1>/)?.[2])].filter(([, value]) => value !== '').map(([index, value]) => [index, Number(value)] as const));
        return { name, x, y };
      });
      const kind = xml.includes('<c:scatterChart>') ? 'scatter' : xml.includes('<c:lineChart>') ? 'line' : 'other';
      const sizes = [...xml.matchAll(/\bsz="(\d+)"/g)].map((match) => Number(match[1]));
      return { part, kind, title, series, sizes, xml } as DeckChart;
    }),
  );
}

/** A sheet's cells by reference ("B7"), shared strings resolved. */
export type SheetCells = Map<string, string>;

/** Every workbook embedded in the deck (ppt/embeddings/*.xlsx, each a zip), every sheet's cells, and its other XML's text. */
export async function embeddedWorkbooks(zip: JSZip): Promise<{ name: string; sheets: SheetCells[]; text: string }[]> {
  const names = Object.keys(zip.files).filter((name) => /^ppt\/embeddings\/.+\.xlsx$/.test(name));
  return Promise.all(
    names.map(async (name) => {
      const book = await JSZip.loadAsync(await zip.file(name)!.async('uint8array'));
      const shared = [...((await book.file('xl/sharedStrings.xml')?.async('string')) ?? '').matchAll(/<si>([\s\S]*?)<\/si>/g)].map(([, item]) =>
        [...item.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map((match) => decodeXml(match[1])).join(''),
      );
      const sheetNames = Object.keys(book.files).filter((file) => /^xl\/worksheets\/[^/]+\.xml$/.test(file));
      const sheets = await Promise.all(
        sheetNames.map(async (sheet) => {
          const xml = await book.file(sheet)!.async('string');
          const cells: SheetCells = new Map();
          for (const match of xml.matchAll(/<c r="([A-Z]+\d+)"([^>]*)>(?:<v>([^<]*)<\/v>)?<\/c>/g)) {
            const [, reference, attributes, value] = match;
            if (value === undefined || value === '') continue;
            cells.set(reference, /t="s"/.test(attributes) ? shared[Number(value)] : value);
          }
          return cells;
        }),
      );
      const others = Object.keys(book.files).filter((file) => file.endsWith('.xml') && !sheetNames.includes(file));
      const text = (await Promise.all(others.map((file) => book.file(file)!.async('string')))).join('\n');
      return { name, sheets, text };
    }),
  );
}

/** A sheet's column as numbers by row (row 2 is the first value; row 1 holds the series' names). */
export function sheetColumn(cells: SheetCells, column: string): Map<number, number> {
  return new Map(
    [...cells]
      .map(([reference, value]) => [reference.match(/^([A-Z]+)(\d+)$/)!, value] as const)
      .filter(([[, letters, row]]) => letters === column && Number(row) > 1)
      .map(([[, , row], value]) => [Number(row), Number(value)] as const),
  );
}
