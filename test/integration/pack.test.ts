import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, expect, it } from 'vitest';
import { gatherPack } from '../../api/pack/gather-pack';
import type { PackContent } from '../../api/pack/pack-content';
import { packFileName, packFiles } from '../../api/pack/pack-files';
import { summaryRowsPerPage } from '../../api/pack/pack-pages';
import { plantedEffects } from '../../etl/demo/planted-effects';
import { outliersByChance } from '../../api/stats/chance';
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { deckCharts, embeddedWorkbooks, sheetColumn } from '../support/pptx-parts';
import { itNeeding } from '../support/prerequisites';
import { rawObservations } from '../support/raw-observations';

/**
 * A board pack built from the demo data and opened as a reader would: the deck unzipped, the PDF read with
 * poppler. Without these checks a pack could ship with a slide missing its chart, findings the numbers do not
 * support, or a PDF whose text cannot be found.
 */
const network = 'KB-CVD-SCN';
const period = '2025/26 Q2';
const indicators = ['VA-SHMI', 'VA-READM30', 'VA-FDS28', 'VA-CANCER62', 'VA-LOS', 'VA-AE4H'];
const artefacts = join(process.cwd(), 'artefacts', 'pack');

const decodeXml = (text: string) =>
  text.replace(/&(apos|quot|lt|gt|amp);/g, (_, name: string) => ({ apos: "'", quot: '"', lt: '<', gt: '>', amp: '&' })[name]!);

/** Each slide's text runs joined by spaces, its pictures, and the media its relationships point to, in slide order. */
async function openDeck(bytes: Uint8Array) {
  const zip = await JSZip.loadAsync(bytes);
  const names = Object.keys(zip.files).filter((name) => /^ppt\/slides\/slide\d+\.xml$/.test(name));
  names.sort((a, b) => Number(a.match(/\d+/)![0]) - Number(b.match(/\d+/)![0]));
  return Promise.all(
    names.map(async (name) => {
      const xml = await zip.file(name)!.async('string');
      const rels = await zip.file(name.replace('slides/', 'slides/_rels/') + '.rels')!.async('string');
      return {
        text: [...xml.matchAll(/<a:t>([^<]*)<\/a:t>/g)].map((match) => decodeXml(match[1])).join(' '),
        pictures: (xml.match(/<p:pic>/g) ?? []).length,
        charts: (xml.match(/<c:chart [^>]*r:id=/g) ?? []).length,
        tables: (xml.match(/<a:tbl>/g) ?? []).length,
        media: [...rels.matchAll(/Target="\.\.\/media\/([^"]+\.png)"/g)].filter((match) => zip.file(`ppt/media/${match[1]}`) !== null).length,
      };
    }),
  );
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describeDemoApi('board packs', ({ app, database }) => {
  let content: PackContent;
  let files: Map<'pptx' | 'pdf', Uint8Array>;
  let variation: { findings: { indicator: string; organisation: { code: string; name: string }; side: string; sentence: string }[] };

  beforeAll(async () => {
    content = await gatherPack((path) => app().request(path), { network, period, indicators });
    files = await packFiles(content, ['pptx', 'pdf']);
    variation = await getJson(app(), `/api/variation?network=${network}&period=${encodeURIComponent(period)}`);
    mkdirSync(artefacts, { recursive: true });
    for (const [format, bytes] of files) writeFileSync(join(artefacts, packFileName(content, format)), bytes);
  });

  let glancePages = 0;
  let outlierSlides = 0;
  let opportunitySlides = 0;
  // What the latest load changed, when the pack is built with it (pack-changes.ts).
  let changeSlides = 0;
  beforeAll(async () => {
    const slides = await openDeck(files.get('pptx')!);
    glancePages = slides.filter((slide) => slide.text.startsWith('Variation at a glance')).length;
    outlierSlides = slides.filter((slide) => slide.text.startsWith('Significant outliers')).length;
    opportunitySlides = slides.filter((slide) => slide.text.startsWith('What the variation is worth')).length;
    changeSlides = slides.filter((slide) => slide.text.startsWith('What changed since the last load')).length;
  });
  // At most summaryRowsPerPage outliers a page; fewer when their rows are tall at 14 pt.
  const outlierPages = () => {
    expect(outlierSlides).toBeGreaterThanOrEqual(Math.max(1, Math.ceil(content.outliers.length / summaryRowsPerPage)));
    return outlierSlides;
  };
  // What the variation is worth: every indicator of the pack but the mean length of stay is sized.
  const opportunityPages = () => {
    expect(opportunitySlides).toBeGreaterThanOrEqual(1);
    return opportunitySlides;
  };
  const expectedPages = () => 1 + changeSlides + glancePages + outlierPages() + opportunityPages() + 3 * indicators.length + 1;

  it('gathers the numbers the API answers for the same parameters', async () => {
    for (const section of content.indicators) {
      const query = `indicator=${section.indicator.code}&period=${encodeURIComponent(period)}&network=${network}`;
      expect(section.funnel).toEqual(await getJson(app(), `/api/funnel?${query}&trim=0.1`));
      expect(section.measure).toEqual(await getJson(app(), `/api/measures/network?${query}`));
      expect(section.networkSpc).toEqual(await getJson(app(), `/api/trends/network-spc?indicator=${section.indicator.code}&network=${network}`));
    }
    expect(content.outliers).toEqual(variation.findings.filter((finding) => indicators.includes(finding.indicator)));
  });

  it('unzips to a title, the summary table, the outliers, three slides per indicator and the methods', async () => {
    const slides = await openDeck(files.get('pptx')!);
    expect(glancePages).toBeGreaterThanOrEqual(1);
    // The table at a glance comes straight after the title and before the outliers (other overviews may come between).
    const at = slides.findIndex((slide) => slide.text.startsWith('Variation at a glance'));
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(slides.findIndex((slide) => slide.text.startsWith('Significant outliers')));
    expect(slides).toHaveLength(expectedPages());
    expect(slides[0].text).toContain('Kellbourne Cardiovascular Strategic Clinical Network');
    expect(slides.at(-1)!.text).toContain('Methods and data');
    expect(slides.at(-1)!.text).toContain('observations.csv, loaded');
  });

  it("gives each indicator a slide with its funnel, one with its key figures and findings, and one with the network's SPC chart, its icons and recent periods", async () => {
    const deck = await openDeck(files.get('pptx')!);
    // The indicators' slides run together, three each, from the first indicator's funnel.
    const first = deck.findIndex((slide, at) => slide.text.startsWith(content.indicators[0].indicator.name) && deck[at + 1]?.text.startsWith(`${content.indicators[0].indicator.name}: findings`));
    expect(first).toBeGreaterThan(0);
    const slides = deck.slice(first, first + 3 * indicators.length);
    content.indicators.forEach((section, i) => {
      const [funnelSlide, findingsSlide, trendSlide] = slides.slice(3 * i, 3 * i + 3);
      expect(funnelSlide.text).toContain(section.indicator.name);
      expect(findingsSlide.text).toContain(`${section.indicator.name}: findings`);
      expect(trendSlide.text).toContain(`${section.indicator.name} over time`);
      expect(trendSlide.text).toContain(content.network.name);
      // Native charts, not pictures.
      for (const slide of [funnelSlide, findingsSlide, trendSlide]) expect(slide.pictures, section.indicator.code).toBe(0);
      expect([funnelSlide.charts, findingsSlide.charts, trendSlide.charts], section.indicator.code).toEqual([1, 0, section.networkSpc ? 1 : 0]);
      expect([findingsSlide.tables, trendSlide.tables], section.indicator.code).toEqual([1, 1]);
      expect(section.findings.length).toBeGreaterThanOrEqual(3);
      for (const finding of section.findings) expect(findingsSlide.text).toContain(finding);
    });
  });

  it('names every planted outlier in its indicator’s findings and in the summary, with its direction', async () => {
    const slides = await openDeck(files.get('pptx')!);
    const summary = slides.filter((slide) => slide.text.startsWith('Significant outliers')).map((slide) => slide.text).join(' ');
    expect(outlierPages()).toBeGreaterThanOrEqual(1);
    expect(summary).toContain('Significant outliers');
    const planted = plantedEffects.filter((effect) => indicators.includes(effect.indicatorCode));
    expect(planted.length).toBeGreaterThanOrEqual(8);
    for (const effect of planted) {
      const section = content.indicators.find((entry) => entry.indicator.code === effect.indicatorCode)!;
      const name = section.funnel.providers.find((provider) => provider.code === effect.organisationCode)!.name;
      const outlier = content.outliers.find((entry) => entry.indicator === effect.indicatorCode && entry.organisation.code === effect.organisationCode);
      expect(outlier?.side, `${effect.indicatorCode} ${effect.organisationCode}`).toBe(effect.direction === 'higher' ? 'above' : 'below');
      expect(section.findings.join(' ')).toContain(outlier!.sentence);
      expect(summary).toContain(name);
    }
  });

  itNeeding('poppler', 'writes a PDF of the same pages, each footer with its number, the period and the load date, in embedded Arimo', () => {
    const path = join(artefacts, packFileName(content, 'pdf'));
    const info = execFileSync('pdfinfo', [path], { encoding: 'utf8' });
    expect(info).toMatch(new RegExp(`Pages:\\s+${expectedPages()}\\b`));
    expect(info).toMatch(/Page size:\s+841\.89 x 595\.28 pts \(A4\)/);
    const pages = execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' }).split('\f').slice(0, expectedPages());
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${expectedPages()}`);
      expect(text).toContain(`${period} · data as loaded on`);
    });
    expect(execFileSync('pdffonts', [path], { encoding: 'utf8' })).toMatch(/Arimo.*yes/);
  });

  itNeeding('poppler', 'holds the same findings as text pdftotext can find', () => {
    // A narrow column breaks lines after hyphens ("SHMI-" / "like"), which joins back without a space.
    const text = oneLine(execFileSync('pdftotext', ['-raw', join(artefacts, packFileName(content, 'pdf')), '-'], { encoding: 'utf8' }).replace(/-\n/g, '-'));
    for (const section of content.indicators) for (const finding of section.findings) expect(text).toContain(oneLine(finding));
  });

  itNeeding('poppler', 'renders every PDF page to a PNG artefact', () => {
    const pngs = join(artefacts, 'pages');
    rmSync(pngs, { recursive: true, force: true });
    mkdirSync(pngs, { recursive: true });
    execFileSync('pdftoppm', ['-r', '60', '-png', join(artefacts, packFileName(content, 'pdf')), join(pngs, 'page')]);
    expect(readdirSync(pngs).filter((name) => name.endsWith('.png'))).toHaveLength(expectedPages());
  });

  it('withholds small numbers in the pack as the API does', async () => {
    const suppressed = await gatherPack((path) => app().request(path), { network, period, indicators: ['VA-CDIFF-HO'], suppression: 20 });
    const [section] = suppressed.indicators;
    const funnel = await getJson(app(), `/api/funnel?indicator=VA-CDIFF-HO&period=${encodeURIComponent(period)}&network=${network}&suppression=20`);
    expect(section.funnel).toEqual(funnel);
    const withheld = funnel.providers.filter((provider: { inNetwork: boolean; suppressed: boolean }) => provider.inNetwork && provider.suppressed).length;
    expect(withheld).toBeGreaterThan(0);
    expect(section.counts.suppressed).toBe(withheld);
    expect(section.findings[0]).toContain(`A further ${withheld} are withheld as small numbers`);
    // The deck's native chart and its workbook hold the published providers' points and no withheld one's.
    const zip = await JSZip.loadAsync((await packFiles(suppressed, ['pptx'])).get('pptx')!);
    const [chart] = await deckCharts(zip);
    const rels = await zip.file(chart.part.replace('charts/', 'charts/_rels/') + '.rels')!.async('string');
    const book = (await embeddedWorkbooks(zip)).find((one) => rels.includes(one.name.replace('ppt/', '../')))!;
    const shown = funnel.providers.filter((provider: any) => !provider.suppressed);
    const providerSeries = chart.series.filter((series) => /providers$/.test(series.name));
    expect(providerSeries.flatMap(pairsOf).sort()).toEqual(shown.map((provider: any) => `${provider.precision}|${provider.value}`).sort());
    const xs = sheetColumn(book.sheets[0], 'A');
    const sheetPairs = ['B', 'C'].flatMap((column) => [...sheetColumn(book.sheets[0], column)].map(([row, y]) => `${xs.get(row)}|${y}`));
    expect(sheetPairs.sort()).toEqual(providerSeries.flatMap(pairsOf).sort());
    // The withheld providers' own figures, read from the tables, appear in neither.
    const truth = (await rawObservations(database().db, 'VA-CDIFF-HO', { period })).filter((row) => funnel.providers.some((provider: any) => provider.suppressed && provider.code === row.code));
    expect(truth.length).toBe(funnel.providers.filter((provider: any) => provider.suppressed).length);
    const cells = [chart.xml, ...book.sheets.flatMap((cells) => [...cells.values()])].join(' ');
    for (const row of truth) {
      const rate = (row.numerator! / row.denominator!) * funnel.indicator.multiplier;
      expect(providerSeries.flatMap(pairsOf).some((pair) => Math.abs(Number(pair.split('|')[0]) - row.denominator!) < 1e-6 && Math.abs(Number(pair.split('|')[1]) - rate) < 1e-6), row.code).toBe(false);
      expect(cells.includes(String(rate)), row.code).toBe(false);
    }
  });

  /** The network's published providers on an indicator's funnel, and its SPC chart, as the API answers them. */
  const published = async (code: string) => {
    const funnel = await getJson(app(), `/api/funnel?indicator=${code}&period=${encodeURIComponent(period)}&network=${network}`);
    const spc = await app().request(`/api/trends/network-spc?indicator=${code}&network=${network}`);
    return { funnel, spc: spc.status === 200 ? await spc.json() : null };
  };
  const pairsOf = (series: { x: Map<number, string>; y: Map<number, number> }) => [...series.y].map(([row, y]) => `${Number(series.x.get(row))}|${y}`).sort();

  it('sets every text run on every slide, footer and chart at 14 pt or more', async () => {
    const zip = await JSZip.loadAsync(files.get('pptx')!);
    const parts = Object.keys(zip.files).filter((name) => /^ppt\/(slides|slideLayouts|slideMasters|charts)\/[^/]+\.xml$/.test(name));
    const sizes = (await Promise.all(parts.map((name) => zip.file(name)!.async('string')))).flatMap((xml) => [...xml.matchAll(/<a:(?:rPr|defRPr|endParaRPr)\b[^>]*\bsz="(\d+)"/g)].map((match) => Number(match[1])));
    expect(sizes.length).toBeGreaterThan(500);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1400);
    const charts = await deckCharts(zip);
    expect(charts.length).toBeGreaterThan(0);
    for (const chart of charts) expect(Math.min(...chart.sizes), chart.part).toBeGreaterThanOrEqual(1400);
  });

  it("draws each funnel and network SPC chart as a native chart whose cached values are the API's published figures", async () => {
    const charts = await deckCharts(await JSZip.loadAsync(files.get('pptx')!));
    const withSpc = content.indicators.filter((section) => section.networkSpc !== null).length;
    expect(charts).toHaveLength(indicators.length + withSpc);
    let next = 0;
    for (const code of indicators) {
      const { funnel, spc } = await published(code);
      const shown = funnel.providers.filter((provider: any) => !provider.suppressed && provider.value !== null);
      const pairs = (members: boolean) => shown.filter((provider: any) => (provider.inNetwork === true) === members).map((provider: any) => `${provider.precision}|${provider.value}`).sort();
      const chart = charts[next++];
      expect(chart.kind, code).toBe('scatter');
      expect(chart.title).toContain(content.network.name);
      const byName = new Map(chart.series.map((series) => [series.name, series]));
      expect(pairsOf(byName.get("Network's providers")!), code).toEqual(pairs(true));
      expect(pairsOf(byName.get('Other providers')!), code).toEqual(pairs(false));
      expect([...byName.get('Benchmark (all providers)')!.y.values()]).toEqual([funnel.target, funnel.target]);
      const limits = chart.series.filter((series) => / % limit/.test(series.name));
      expect(limits.length, code).toBe(funnel.curves.length);
      expect(limits.every((series) => series.y.size > 20)).toBe(true);
      if (!spc) continue;
      const trend = charts[next++];
      expect(trend.kind, code).toBe('line');
      expect(trend.title).toContain(content.network.name);
      const [value, mean, upper, lower] = trend.series;
      expect(value.name).toBe('Network pooled value');
      expect([...value.x.values()]).toEqual(spc.points.map((point: any) => point.period));
      expect(spc.points.flatMap((point: any, row: number) => (point.suppressed || point.value === null ? [] : [[row, point.value]]))).toEqual([...value.y]);
      expect([...mean.y.values()]).toEqual(spc.points.map((point: any) => point.centre));
      expect([upper.name, lower.name]).toEqual(['Upper process limit', 'Lower process limit']);
      expect([...upper.y.values()]).toEqual(spc.points.flatMap((point: any) => (point.upperLimit === null ? [] : [point.upperLimit])));
      const special = spc.points.flatMap((point: any, row: number) => (point.specialCause === null || point.value === null ? [] : [`${row}|${point.value}`]));
      expect(trend.series.filter((series) => series.name.startsWith('Special cause')).flatMap((series) => [...series.y].map(([row, y]) => `${row}|${y}`)).sort()).toEqual(special.sort());
    }
  });

  it("holds in each chart's embedded workbook the values of its caches, and nothing else", async () => {
    const zip = await JSZip.loadAsync(files.get('pptx')!);
    const charts = await deckCharts(zip);
    const books = await embeddedWorkbooks(zip);
    expect(books).toHaveLength(charts.length);
    for (const chart of charts) {
      const rels = await zip.file(chart.part.replace('charts/', 'charts/_rels/') + '.rels')!.async('string');
      const book = books.find((one) => rels.includes(one.name.replace('ppt/', '../')))!;
      const [cells] = book.sheets;
      const numbers = [...cells.entries()].filter(([reference]) => !/^[A-Z]+1$/.test(reference));
      const cached = chart.series.reduce((total, series) => total + series.y.size, 0) + (chart.kind === 'scatter' ? chart.series[0].x.size : chart.series[0].x.size);
      expect(numbers.length, chart.part).toBe(cached);
      chart.series.forEach((series, index) => {
        const column = String.fromCharCode(66 + index);
        expect([...sheetColumn(cells, column)].map(([row, value]) => [row - 2, value]), `${chart.part} ${series.name}`).toEqual([...series.y]);
      });
    }
  });

  it("tabulates every indicator at a glance with the network's counts as the API's funnel and variation finder answer them", async () => {
    const slides = await openDeck(files.get('pptx')!);
    const glance = slides.filter((slide) => slide.text.startsWith('Variation at a glance')).map((slide) => slide.text).join(' ');
    expect(glance).not.toBe('');
    const finder = await getJson(app(), `/api/variation?network=${network}&period=${encodeURIComponent(period)}`);
    for (const code of indicators) {
      const { funnel, spc } = await published(code);
      const members = funnel.providers.filter((provider: any) => provider.inNetwork && !provider.suppressed && provider.band !== null);
      const higherIsBetter = funnel.indicator.polarity === 'higher_is_better';
      const count = (beyond: (provider: any) => boolean) => {
        const above = members.filter((provider: any) => beyond(provider) && provider.band.startsWith('above')).length;
        const below = members.filter((provider: any) => beyond(provider) && provider.band.startsWith('below')).length;
        const within = members.length - above - below;
        if (funnel.indicator.polarity === 'no_judgement') return `${above} higher / ${below} lower / ${within}`;
        return higherIsBetter ? `${below} / ${above} / ${within}` : `${above} / ${below} / ${within}`;
      };
      const at998 = count((provider) => provider.band.endsWith('99.8'));
      const at95 = count((provider) => provider.band !== 'within');
      const assessed = finder.indicators.find((indicator: any) => indicator.code === code);
      const chance = outliersByChance(members.length, 0.998);
      const words = spc ? [spc.variation, spc.assurance].filter(Boolean).length : 0;
      const row = `${funnel.indicator.name} ${at998} ${at95} ${chance.expected.toLocaleString('en-GB', { maximumSignificantDigits: 2 })} (${chance.lower}–${chance.upper}) ${assessed.methodSensitive} ${assessed.persistent}`;
      expect(glance, code).toContain(row);
      expect(words, code).toBeGreaterThan(0);
    }
  });

  it("names the network by its name, never its code, on every slide, chart and the PDF's pages", async () => {
    const zip = await JSZip.loadAsync(files.get('pptx')!);
    const parts = Object.keys(zip.files).filter((name) => /^(ppt\/(slides|slideLayouts|slideMasters|charts)\/[^/]+\.xml|docProps\/core\.xml)$/.test(name));
    const xml = (await Promise.all(parts.map((name) => zip.file(name)!.async('string')))).join('\n');
    expect(xml).toContain(content.network.name);
    expect(xml).not.toContain(network);
    const charts = await deckCharts(zip);
    for (const chart of charts) expect(chart.title).toContain(content.network.name);
  });

  itNeeding('poppler', "names the network by its name, never its code, in the PDF, and sets no text below 10 pt", () => {
    const path = join(artefacts, packFileName(content, 'pdf'));
    const text = execFileSync('pdftotext', ['-raw', path, '-'], { encoding: 'utf8' });
    expect(text).toContain(content.network.name);
    expect(text).not.toContain(network);
    // pdftotext -bbox gives each word's box: none shorter than a 10 pt glyph's (Arimo's ascent and descent, 1.15 em).
    const boxes = [...execFileSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).matchAll(/yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"/g)];
    const heights = boxes.map((match) => Number(match[2]) - Number(match[1]));
    expect(heights.length).toBeGreaterThan(500);
    expect(Math.min(...heights)).toBeGreaterThanOrEqual(10 * 1.1);
  });

  it('answers GET /api/packs with the file to download', async () => {
    for (const [format, type] of [
      ['pdf', 'application/pdf'],
      ['pptx', 'application/vnd.openxmlformats-officedocument.presentationml.presentation'],
    ]) {
      const response = await app().request(`/api/packs?network=KB-CANCER&period=${encodeURIComponent(period)}&indicators=VA-CANCER62&format=${format}`);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(type);
      expect(response.headers.get('content-disposition')).toBe(`attachment; filename="board-pack-KB-CANCER-2025-26-Q2.${format}"`);
      expect((await response.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
    }
  });

  it.each([
    [`/api/packs?period=${period}`, 400, 'network'],
    [`/api/packs?network=${network}&period=${period}&format=docx`, 400, 'format'],
    [`/api/packs?network=${network}&period=${period}&indicators=VA-SHMI,VA-SHMI`, 400, 'indicators'],
    [`/api/packs?network=${network}&period=${period}&adjustment=lots`, 400, 'adjustment'],
    [`/api/packs?network=NOPE&period=${period}`, 404, 'network'],
    [`/api/packs?network=${network}&period=1999`, 404, 'period'],
    [`/api/packs?network=${network}&period=${period}&indicators=NOPE`, 404, 'indicators'],
    [`/api/packs?network=${network}&period=${period}&indicators=VA-CERVICAL`, 404, 'indicators'],
  ])('%s answers %i naming %s', (path, status, parameter) => expectApiError(app(), path.replace(/ /g, '%20'), status, parameter));
});
