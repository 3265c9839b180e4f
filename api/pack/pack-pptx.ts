import PptxGenJS from 'pptxgenjs';
import { nhsColours } from '../charts';
import type { IndicatorCharts, PackChart } from './pack-charts';
import type { PackContent } from './pack-content';
import { packFooter, packPages, type PackPage } from './pack-pages';

// pptxgenjs takes colours without the '#'.
const colour = (hex: string) => hex.slice(1);
const font = 'Arial';
const master = 'VARIATION_ATLAS_PACK';

/** A 16:9 slide of 13.33 × 7.5 inches; every position below is in inches. */
const slide = { width: 13.333, height: 7.5, margin: 0.4 };
const content = { width: slide.width - 2 * slide.margin };
const chart = { top: 1.25, width: 6.3 };

type Slide = ReturnType<PptxGenJS['addSlide']>;
type TableRows = Parameters<Slide['addTable']>[0];

/**
 * The pack as a PowerPoint deck (pptxgenjs): a title slide, the outliers' summary, one slide per indicator with
 * its funnel and the network's SPC chart as server-rendered pictures, the findings and a native (editable)
 * table of the key figures, and the methods slide. Every slide's footer names the network, the period and
 * when the data were loaded.
 */
export async function packPptx(pack: PackContent, charts: ReadonlyMap<string, IndicatorCharts>): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.author = 'Variation Atlas';
  pptx.title = `${pack.network.name}: variation between providers, ${pack.period}`;
  pptx.defineSlideMaster({
    title: master,
    background: { color: colour(nhsColours.white) },
    objects: [
      { rect: { x: 0, y: 0, w: slide.width, h: 0.12, fill: { color: colour(nhsColours.blue) } } },
      { text: { text: packFooter(pack), options: { x: slide.margin, y: 7.08, w: 11, h: 0.3, fontFace: font, fontSize: 9, color: colour(nhsColours.darkGrey) } } },
    ],
    slideNumber: { x: 12.3, y: 7.08, w: 0.6, h: 0.3, fontFace: font, fontSize: 9, color: colour(nhsColours.darkGrey), align: 'right' },
  });
  for (const page of packPages(pack)) addPage(pptx.addSlide({ masterName: master }), page, charts);
  const bytes = await pptx.write({ outputType: 'uint8array', compression: true });
  if (!(bytes instanceof Uint8Array)) throw new Error('pptxgenjs did not write bytes');
  return bytes;
}

function addPage(target: Slide, page: PackPage, charts: ReadonlyMap<string, IndicatorCharts>): void {
  if (page.kind === 'title') {
    target.addText(page.title, { x: 0.8, y: 2.3, w: 11.7, h: 1.3, fontFace: font, fontSize: 36, bold: true, color: colour(nhsColours.blue), valign: 'bottom' });
    target.addText(
      page.lines.map((line) => ({ text: line, options: { breakLine: true } })),
      { x: 0.8, y: 3.8, w: 11.7, h: 1.6, fontFace: font, fontSize: 18, color: colour(nhsColours.darkGrey), valign: 'top', paraSpaceAfter: 6 },
    );
    return;
  }
  addHeading(target, page.title, page.kind === 'indicator' ? page.subtitle : undefined);
  if (page.kind === 'summary') {
    target.addText(page.note, { x: slide.margin, y: 1.0, w: content.width, h: 0.6, fontFace: font, fontSize: 12, color: colour(nhsColours.black), valign: 'top' });
    if (page.rows.length > 0) {
      target.addTable(tableRows(page.header, page.rows), {
        x: slide.margin,
        y: 1.75,
        w: content.width,
        colW: [3.6, 3.7, 1.3, 1.1, 1.0, 1.83],
        fontFace: font,
        fontSize: 10,
        border: { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) },
        valign: 'middle',
      });
    }
    return;
  }
  if (page.kind === 'methods') {
    target.addText(
      page.paragraphs.flatMap(({ heading, text }) => [
        { text: heading, options: { bold: true, breakLine: true, color: colour(nhsColours.blue) } },
        { text, options: { breakLine: true, paraSpaceAfter: 8 } },
      ]),
      { x: slide.margin, y: 1.0, w: content.width, h: 5.9, fontFace: font, fontSize: 12, color: colour(nhsColours.black), valign: 'top', fit: 'shrink' },
    );
    return;
  }
  const drawn = charts.get(page.section.indicator.code);
  if (!drawn) throw new Error(`no charts were rendered for ${page.section.indicator.code}`);
  addChart(target, drawn.funnel, slide.margin - 0.1);
  if (drawn.spc) addChart(target, drawn.spc, slide.width - slide.margin + 0.1 - chart.width);
  else {
    target.addText(`The network's SPC chart cannot be drawn: ${page.section.networkSpcReason ?? 'no series'}.`, {
      x: slide.width - slide.margin - chart.width,
      y: chart.top,
      w: chart.width,
      h: 1,
      fontFace: font,
      fontSize: 12,
      color: colour(nhsColours.darkGrey),
    });
  }
  const findings = { w: 8.1, h: 1.8 };
  target.addText(
    page.findings.map((finding) => ({ text: finding, options: { bullet: true, breakLine: true, paraSpaceAfter: 3 } })),
    { x: slide.margin - 0.1, y: 5.25, ...findings, fontFace: font, fontSize: fittedFontSize(page.findings, findings), color: colour(nhsColours.black), valign: 'top', fit: 'shrink' },
  );
  target.addTable(tableRows(['Key figure', 'Value'], page.keyFigures), {
    x: 8.55,
    y: 5.25,
    w: 4.38,
    colW: [2.45, 1.93],
    fontFace: font,
    fontSize: 8,
    rowH: 0.2,
    margin: 0.03,
    border: { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) },
  });
}

/**
 * The largest size from 10 pt down to 7 pt at which the paragraphs should fit the box, estimated at Arial's
 * average character width (about half the size) and 1.2 line spacing: the deck is written without a layout
 * engine, and PowerPoint shrinks text to fit only once it is edited.
 */
export function fittedFontSize(paragraphs: readonly string[], box: { w: number; h: number }): number {
  const fits = (size: number) => {
    const perLine = Math.floor(((box.w - 0.45) * 72) / (size * 0.5));
    const lines = paragraphs.reduce((total, text) => total + Math.ceil(text.length / perLine), 0);
    return (lines * size * 1.2 + paragraphs.length * 3) / 72 <= box.h;
  };
  return [10, 9, 8].find(fits) ?? 7;
}

function addHeading(target: Slide, title: string, subtitle: string | undefined): void {
  target.addText(title, { x: slide.margin, y: 0.2, w: content.width, h: 0.55, fontFace: font, fontSize: 24, bold: true, color: colour(nhsColours.blue), valign: 'middle' });
  if (subtitle) target.addText(subtitle, { x: slide.margin, y: 0.72, w: content.width, h: 0.35, fontFace: font, fontSize: 13, color: colour(nhsColours.darkGrey) });
}

function addChart(target: Slide, drawn: PackChart, x: number): void {
  target.addImage({ data: `image/png;base64,${drawn.png.toString('base64')}`, x, y: chart.top, w: chart.width, h: (chart.width * drawn.height) / drawn.width, altText: drawn.description });
}

/** A header row in NHS blue, then the body rows. */
function tableRows(header: string[], rows: readonly (readonly string[])[]): TableRows {
  return [
    header.map((text) => ({ text, options: { bold: true, color: colour(nhsColours.white), fill: { color: colour(nhsColours.blue) } } })),
    ...rows.map((row) => row.map((text) => ({ text }))),
  ];
}
