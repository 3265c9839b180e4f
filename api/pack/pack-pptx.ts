import PptxGenJS from 'pptxgenjs';
import { nhsColours } from '../charts';
import type { IndicatorCharts, PackChart } from './pack-charts';
import type { PackContent } from './pack-content';
import { mdcIconGeometry, mdcIcons, type MdcIcon } from '../charts/mdc-icons';
import { arialTextHeight } from './pack-pdf';
import type { IndicatorSection as PackSection } from './pack-content';
import { flowFindings, packFooter, packPages, trendRowsShown, type PackPage } from './pack-pages';

// pptxgenjs takes colours without the '#'.
const colour = (hex: string) => hex.slice(1);
const font = 'Arial';
const master = 'VARIATION_ATLAS_PACK';

/** A 16:9 slide of 13.33 × 7.5 inches; every position below is in inches. */
const slide = { width: 13.333, height: 7.5, margin: 0.4 };
const content = { width: slide.width - 2 * slide.margin };

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
      { text: { text: packFooter(pack), options: { x: slide.margin, y: 7.08, w: 11, h: 0.3, fontFace: font, fontSize: 12, color: colour(nhsColours.darkGrey) } } },
    ],
    slideNumber: { x: 12.2, y: 7.08, w: 0.7, h: 0.3, fontFace: font, fontSize: 12, color: colour(nhsColours.darkGrey), align: 'right' },
  });
  const carried: Carried = new Map();
  for (const page of packPages(pack)) addPage(pptx, pptx.addSlide({ masterName: master }), page, charts, carried);
  const bytes = await pptx.write({ outputType: 'uint8array', compression: true });
  if (!(bytes instanceof Uint8Array)) throw new Error('pptxgenjs did not write bytes');
  return bytes;
}

/** Where an indicator's slides put things: the chart on the left, text in the column on the right, a table under the chart. */
const chartBox = { x: slide.margin, y: 1.15, w: 6.6, h: 4.4 };
const column = { x: chartBox.x + chartBox.w + 0.2, w: slide.width - slide.margin - (chartBox.x + chartBox.w + 0.2) };
const underChart = { y: chartBox.y + chartBox.h + 0.1, h: 6.95 - (chartBox.y + chartBox.h + 0.1) };
const slideBottom = 6.95;
/** Body text on a slide, largest first: never below 12 pt. */
const bodySizes = [14, 13, 12] as const;
const tableSize = 12;
const tableRowHeight = 0.26;
const keyFiguresHeight = (rows: number) => (rows + 1) * tableRowHeight + 0.35;
const iconSize = 0.5;
const iconsHeight = (icons: number) => (icons === 0 ? 0 : icons * (iconSize + 0.12) + 1.1);
/** The trend slide's table of recent periods, in the column under the icons. */
const trendTableHeight = (rows: number) => (rows === 0 ? 0 : (rows + 1) * tableRowHeight + 0.15);

/** Findings that did not fit an indicator's slide, carried to its trend slide. */
type Carried = Map<string, { size: number; findings: string[] }>;

function addPage(pptx: PptxGenJS, target: Slide, page: PackPage, charts: ReadonlyMap<string, IndicatorCharts>, carried: Carried): void {
  if (page.kind === 'title') {
    target.addText(page.title, { x: 0.8, y: 2.3, w: 11.7, h: 1.3, fontFace: font, fontSize: 36, bold: true, color: colour(nhsColours.blue), valign: 'bottom' });
    target.addText(
      page.lines.map((line) => ({ text: line, options: { breakLine: true } })),
      { x: 0.8, y: 3.8, w: 11.7, h: 1.6, fontFace: font, fontSize: 18, color: colour(nhsColours.darkGrey), valign: 'top', paraSpaceAfter: 6 },
    );
    return;
  }
  addHeading(target, page.title, page.kind === 'indicator' || page.kind === 'trend' ? page.subtitle : undefined);
  if (page.kind === 'summary') {
    target.addText(page.note, { x: slide.margin, y: 1.0, w: content.width, h: 0.7, fontFace: font, fontSize: 14, color: colour(nhsColours.black), valign: 'top' });
    if (page.rows.length > 0) {
      target.addTable(tableRows(page.header, page.rows), {
        x: slide.margin,
        y: 1.8,
        w: content.width,
        colW: [3.4, 3.6, 1.3, 1.3, 1.2, 1.733],
        fontFace: font,
        fontSize: 12,
        margin: 0.04,
        border: { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) },
        valign: 'middle',
      });
    }
    return;
  }
  if (page.kind === 'methods') {
    const height = 5.9;
    const size = [13, 12].find((fontSize) => page.paragraphs.reduce((total, { heading, text }) => total + boxHeight(heading, fontSize, content.width) + boxHeight(text, fontSize, content.width) + 8 / 72, 0) <= height) ?? 12;
    target.addText(
      page.paragraphs.flatMap(({ heading, text }) => [
        { text: heading, options: { bold: true, breakLine: true, color: colour(nhsColours.blue) } },
        { text, options: { breakLine: true, paraSpaceAfter: 8 } },
      ]),
      { x: slide.margin, y: 1.0, w: content.width, h: height, fontFace: font, fontSize: size, color: colour(nhsColours.black), valign: 'top' },
    );
    return;
  }
  const drawn = charts.get(page.section.indicator.code);
  if (!drawn) throw new Error(`no charts were rendered for ${page.section.indicator.code}`);
  if (page.kind === 'indicator') {
    addChart(target, drawn.funnel);
    target.addTable(tableRows(['Key figure', 'Value'], page.keyFigures), {
      x: column.x,
      y: chartBox.y,
      w: column.w,
      colW: [3.35, column.w - 3.35],
      fontFace: font,
      fontSize: tableSize,
      rowH: tableRowHeight,
      margin: 0.03,
      border: { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) },
    });
    const findingsTop = chartBox.y + keyFiguresHeight(page.keyFigures.length);
    const boxes = [
      { x: column.x, y: findingsTop, w: column.w, h: slideBottom - findingsTop },
      { x: chartBox.x, y: underChart.y, w: chartBox.w, h: underChart.h },
      trendFindingsBox(page.section),
    ];
    const layout = flowFindings(page.findings, boxes.map((box) => box.h), (size, index) => (finding) => findingHeight(finding, size, boxes[index].w), bodySizes);
    layout.boxes.slice(0, 2).forEach((findings, index) => addFindings(target, findings, boxes[index], layout.size));
    carried.set(page.section.indicator.code, { size: layout.size, findings: layout.boxes[2] });
    return;
  }
  if (drawn.spc) addChart(target, drawn.spc);
  else {
    target.addText(`The network's SPC chart cannot be drawn: ${page.section.networkSpcReason ?? 'no series'}.`, { ...box(chartBox), h: 1, fontFace: font, fontSize: 14, color: colour(nhsColours.darkGrey) });
  }
  if (page.rows.length > 0) {
    target.addTable(tableRows(page.header, page.rows), {
      x: column.x,
      y: chartBox.y + iconsHeight(page.icons.length),
      w: column.w,
      colW: [1.1, 1.3, 0.95, 1.5, column.w - 4.85],
      fontFace: font,
      fontSize: tableSize,
      rowH: tableRowHeight,
      margin: 0.03,
      border: { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) },
    });
  }
  page.icons.forEach((icon, index) => addMdcIcon(pptx, target, icon, column.x, chartBox.y + index * (iconSize + 0.12), column.w));
  if (page.icons.length > 0) {
    target.addText(mdcReading, { x: column.x, y: chartBox.y + page.icons.length * (iconSize + 0.12), w: column.w, h: 1.05, fontFace: font, fontSize: 12, color: colour(nhsColours.darkGrey), valign: 'top' });
  }
  const rest = carried.get(page.section.indicator.code);
  if (rest && rest.findings.length > 0) addFindings(target, rest.findings, trendFindingsBox(page.section), rest.size);
}

/** Where findings continued on a trend slide go: in the column under the icons and the table of recent periods. */
function trendFindingsBox(section: PackSection): { x: number; y: number; w: number; h: number } {
  const icons = section.networkSpc === null ? 0 : mdcIcons(section.networkSpc).length;
  const rows = Math.min(section.networkSpc?.points.length ?? 0, trendRowsShown);
  const y = chartBox.y + iconsHeight(icons) + trendTableHeight(rows);
  return { x: column.x, y, w: column.w, h: slideBottom - y };
}

/** What the icons say, under them: the words are on the slide as well as the colours. */
const mdcReading =
  'Making Data Count, latest period: variation shows special cause high (H), low (L) or common cause only (~); assurance shows the limits consistently passing (P) or failing (F) the target, or straddling it (?).';

/** A Making Data Count icon drawn from the shared definition as a native shape, its words beside it. */
function addMdcIcon(pptx: PptxGenJS, target: Slide, icon: MdcIcon, x: number, y: number, width: number): void {
  const scale = iconSize / mdcIconGeometry.box;
  const inset = (mdcIconGeometry.centre - mdcIconGeometry.radius) * scale;
  target.addText(icon.letter, {
    shape: pptx.ShapeType.ellipse,
    x: x + inset,
    y: y + inset,
    w: iconSize - 2 * inset,
    h: iconSize - 2 * inset,
    fill: { color: colour(icon.filled ? icon.colour : nhsColours.white) },
    line: { color: colour(icon.colour), width: mdcIconGeometry.stroke * scale * 72 },
    fontFace: font,
    fontSize: Math.round(mdcIconGeometry.letterSize * scale * 72),
    bold: true,
    color: colour(icon.filled ? nhsColours.white : icon.colour),
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
  target.addText(icon.label, { x: x + iconSize + 0.1, y, w: width - iconSize - 0.1, h: iconSize, fontFace: font, fontSize: 13, bold: true, color: colour(nhsColours.black), valign: 'middle' });
}

/** pptxgenjs's text box insets (0.1 inch each side) and the bullet's indent, in inches. */
const textInset = 0.2;
const bulletIndent = 0.3;
/** PowerPoint sets Arial a little looser than its font metrics say: room to spare. */
const lineSlack = 1.1;

/** A text's height in inches in a box `width` inches wide, measured in Arial's metrics. */
function boxHeight(text: string, size: number, width: number): number {
  return (arialTextHeight(text, size, (width - textInset) * 72) * lineSlack) / 72;
}

function findingHeight(finding: string, size: number, width: number): number {
  return boxHeight(finding, size, width - bulletIndent) + 4 / 72;
}

function addFindings(target: Slide, findings: readonly string[], area: { x: number; y: number; w: number; h: number }, size: number): void {
  if (findings.length === 0) return;
  target.addText(
    findings.map((finding) => ({ text: finding, options: { bullet: true, breakLine: true, paraSpaceAfter: 4 } })),
    { ...area, fontFace: font, fontSize: size, color: colour(nhsColours.black), valign: 'top', margin: [0.05, 0.1, 0.05, 0.1] },
  );
}

const box = (area: { x: number; y: number; w: number; h: number }) => ({ x: area.x, y: area.y, w: area.w, h: area.h });

function addHeading(target: Slide, title: string, subtitle: string | undefined): void {
  target.addText(title, { x: slide.margin, y: 0.2, w: content.width, h: 0.55, fontFace: font, fontSize: 24, bold: true, color: colour(nhsColours.blue), valign: 'middle' });
  if (subtitle) target.addText(subtitle, { x: slide.margin, y: 0.72, w: content.width, h: 0.35, fontFace: font, fontSize: 14, color: colour(nhsColours.darkGrey) });
}

function addChart(target: Slide, drawn: PackChart): void {
  target.addImage({ data: `image/png;base64,${drawn.png.toString('base64')}`, x: chartBox.x, y: chartBox.y, w: chartBox.w, h: (chartBox.w * drawn.height) / drawn.width, altText: drawn.description });
}

/** A header row in NHS blue, then the body rows. */
function tableRows(header: string[], rows: readonly (readonly string[])[]): TableRows {
  return [
    header.map((text) => ({ text, options: { bold: true, color: colour(nhsColours.white), fill: { color: colour(nhsColours.blue) } } })),
    ...rows.map((row) => row.map((text) => ({ text }))),
  ];
}
