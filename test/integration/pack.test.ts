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
import { describeDemoApi, expectApiError, getJson } from '../support/demo-api';
import { itNeeding } from '../support/prerequisites';

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
        tables: (xml.match(/<a:tbl>/g) ?? []).length,
        media: [...rels.matchAll(/Target="\.\.\/media\/([^"]+\.png)"/g)].filter((match) => zip.file(`ppt/media/${match[1]}`) !== null).length,
      };
    }),
  );
}

const oneLine = (text: string) => text.replace(/\s+/g, ' ');

describeDemoApi('board packs', ({ app }) => {
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

  const expectedPages = () => 1 + Math.max(1, Math.ceil(content.outliers.length / summaryRowsPerPage)) + 2 * indicators.length + 1;

  it('gathers the numbers the API answers for the same parameters', async () => {
    for (const section of content.indicators) {
      const query = `indicator=${section.indicator.code}&period=${encodeURIComponent(period)}&network=${network}`;
      expect(section.funnel).toEqual(await getJson(app(), `/api/funnel?${query}&trim=0.1`));
      expect(section.measure).toEqual(await getJson(app(), `/api/measures/network?${query}`));
      expect(section.networkSpc).toEqual(await getJson(app(), `/api/trends/network-spc?indicator=${section.indicator.code}&network=${network}`));
    }
    expect(content.outliers).toEqual(variation.findings.filter((finding) => indicators.includes(finding.indicator)));
  });

  it('unzips to a title, the summary, two slides per indicator and the methods', async () => {
    const slides = await openDeck(files.get('pptx')!);
    expect(slides).toHaveLength(expectedPages());
    expect(slides[0].text).toContain('Kellbourne Cardiovascular Strategic Clinical Network');
    expect(slides.at(-1)!.text).toContain('Methods and data');
    expect(slides.at(-1)!.text).toContain('observations.csv, loaded');
  });

  it("gives each indicator a slide with its funnel and key figures and a slide with the network's SPC chart, its icons and recent periods; the findings on the two", async () => {
    const slides = (await openDeck(files.get('pptx')!)).slice(-1 - 2 * indicators.length, -1);
    content.indicators.forEach((section, i) => {
      const [indicatorSlide, trendSlide] = [slides[2 * i], slides[2 * i + 1]];
      expect(indicatorSlide.text).toContain(section.indicator.name);
      expect(trendSlide.text).toContain(`${section.indicator.name} over time`);
      expect(trendSlide.text).toContain(content.network.name);
      for (const slide of [indicatorSlide, trendSlide]) {
        expect(slide.pictures, section.indicator.code).toBe(1);
        expect(slide.media, section.indicator.code).toBe(1);
        expect(slide.tables, section.indicator.code).toBe(1);
      }
      expect(section.findings.length).toBeGreaterThanOrEqual(3);
      for (const finding of section.findings) expect(`${indicatorSlide.text} ${trendSlide.text}`).toContain(finding);
    });
  });

  it('names every planted outlier in its indicator’s findings and in the summary, with its direction', async () => {
    const slides = await openDeck(files.get('pptx')!);
    const summary = slides.slice(1, -1 - indicators.length).map((slide) => slide.text).join(' ');
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
