import PDFDocument from 'pdfkit';
import { nhsColours } from '../charts';
import { pngFontFiles } from '../charts/render-png';
import type { IndicatorCharts } from './pack-charts';
import type { PackContent } from './pack-content';
import { mdcIconGeometry, mdcIcons, type MdcIcon } from '../charts/mdc-icons';
import { flowFindings, packFooter, packPages, type PackPage } from './pack-pages';

type Document = InstanceType<typeof PDFDocument>;

/** A4 landscape in points (1/72 inch), with a half-inch margin. */
const page = { width: 841.89, height: 595.28, margin: 36 };
const contentWidth = page.width - 2 * page.margin;
const top = 76;
const footerY = page.height - 26;
const regular = 'Arimo';
const bold = 'Arimo-Bold';

/**
 * The pack as an A4 landscape PDF (pdfkit) with the same pages as the deck: the charts as the same PNGs, the
 * findings, the tables and the methods, in Arimo (Arial's metrics) embedded so it reads alike everywhere. Every
 * footer has the page number, the period and when the data were loaded.
 */
export async function packPdf(pack: PackContent, charts: ReadonlyMap<string, IndicatorCharts>): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margin: 0,
    autoFirstPage: false,
    bufferPages: true,
    lang: 'en-GB',
    displayTitle: true,
    info: { Title: `${pack.network.name}: variation between providers, ${pack.period}`, Author: 'Variation Atlas' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise((resolve) => doc.on('end', resolve));
  const fonts = pngFontFiles();
  doc.registerFont(regular, fonts.find((file) => file.endsWith('Arimo_400Regular.ttf'))!);
  doc.registerFont(bold, fonts.find((file) => file.endsWith('Arimo_700Bold.ttf'))!);
  const carried: Carried = new Map();
  for (const entry of packPages(pack)) {
    doc.addPage();
    doc.rect(0, 0, page.width, 8).fill(nhsColours.blue);
    drawPage(doc, entry, charts, carried);
  }
  const footer = packFooter(pack);
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    doc.font(regular).fontSize(10).fillColor(nhsColours.darkGrey);
    doc.text(footer, page.margin, footerY, { width: contentWidth - 80, lineBreak: false });
    doc.text(`Page ${index - start + 1} of ${count}`, page.width - page.margin - 80, footerY, { width: 80, align: 'right', lineBreak: false });
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

/** Where an indicator's pages put things: the chart on the left, text in the column on the right, a table under the chart. */
const chartBox = { x: page.margin, y: top, width: 480, height: 320 };
const column = { x: chartBox.x + chartBox.width + 16, width: page.width - page.margin - (chartBox.x + chartBox.width + 16) };
const underChart = chartBox.y + chartBox.height + 8;
const bottom = footerY - 8;
/** Body text sizes, largest first: never below 10 pt in print. */
const bodySizes = [12, 11, 10] as const;
const bulletGap = 4;

/** Findings that did not fit an indicator's page, carried to its trend page. */
type Carried = Map<string, { size: number; findings: string[] }>;

function drawPage(doc: Document, entry: PackPage, charts: ReadonlyMap<string, IndicatorCharts>, carried: Carried): void {
  if (entry.kind === 'title') {
    doc.font(bold).fontSize(30).fillColor(nhsColours.blue).text(entry.title, 60, 190, { width: page.width - 120 });
    doc.font(regular).fontSize(15).fillColor(nhsColours.darkGrey);
    for (const line of entry.lines) doc.text(line, 60, doc.y + 10, { width: page.width - 120 });
    return;
  }
  // A long title steps down to 16 pt to stay on one line, and is cut only past that.
  doc.font(bold);
  const titleSize = [20, 18, 16].find((size) => doc.fontSize(size).widthOfString(entry.title) <= contentWidth) ?? 16;
  doc.fontSize(titleSize).fillColor(nhsColours.blue).text(entry.title, page.margin, 20, { width: contentWidth, height: 26, lineBreak: false, ellipsis: true });
  if (entry.kind === 'indicator' || entry.kind === 'trend') doc.font(regular).fontSize(12).fillColor(nhsColours.darkGrey).text(entry.subtitle, page.margin, 48, { width: contentWidth, lineBreak: false, ellipsis: true });
  if (entry.kind === 'summary') {
    doc.font(regular).fontSize(11).fillColor(nhsColours.black).text(entry.note, page.margin, 54, { width: contentWidth });
    if (entry.rows.length > 0) drawTable(doc, page.margin, doc.y + 12, [180, 230, 70, 75, 75, 139.89], entry.header, entry.rows, 11);
    return;
  }
  if (entry.kind === 'methods') {
    const height = bottom - 56;
    const size = fittedSize(bodySizes, (fontSize) => entry.paragraphs.reduce((total, { heading, text }) => total + heights(doc, fontSize, [heading, text], contentWidth) + 8, 0), height);
    let y = 56;
    for (const { heading, text } of entry.paragraphs) {
      doc.font(bold).fontSize(size).fillColor(nhsColours.blue).text(heading, page.margin, y, { width: contentWidth });
      doc.font(regular).fillColor(nhsColours.black).text(text, page.margin, doc.y + 1, { width: contentWidth });
      y = doc.y + 8;
    }
    return;
  }
  const drawn = charts.get(entry.section.indicator.code);
  if (!drawn) throw new Error(`no charts were rendered for ${entry.section.indicator.code}`);
  if (entry.kind === 'indicator') {
    doc.image(drawn.funnel.png, chartBox.x, chartBox.y, { width: chartBox.width, height: chartBox.height });
    drawTable(doc, chartBox.x, underChart, [200, 280], ['Key figure', 'Value'], entry.keyFigures, 10, 1.5);
    const findingsTop = heading(doc, 'Findings', column.x, top, column.width);
    const trendTop = trendFindingsTop(entry.section.networkSpc === null ? 0 : mdcIcons(entry.section.networkSpc).length);
    const boxes = [
      { x: column.x, y: findingsTop, width: column.width, height: bottom - findingsTop },
      { x: column.x, y: trendTop + 20, width: column.width, height: bottom - trendTop - 20 },
    ];
    const layout = flowFindings(entry.findings, boxes.map((box) => box.height), (size, box) => (finding) => bulletHeight(doc, finding, size, boxes[box].width), bodySizes);
    drawBullets(doc, layout.boxes[0], boxes[0], layout.size);
    carried.set(entry.section.indicator.code, { size: layout.size, findings: layout.boxes[1] });
    return;
  }
  if (drawn.spc) doc.image(drawn.spc.png, chartBox.x, chartBox.y, { width: chartBox.width, height: chartBox.height });
  else {
    doc.font(regular).fontSize(12).fillColor(nhsColours.darkGrey);
    doc.text(`The network's SPC chart cannot be drawn: ${entry.section.networkSpcReason ?? 'no series'}.`, chartBox.x, chartBox.y + 20, { width: chartBox.width });
  }
  if (entry.rows.length > 0) drawTable(doc, chartBox.x, underChart, [80, 110, 80, 120, 90], entry.header, entry.rows, 10, 2.5);
  let y = top;
  for (const icon of entry.icons) y = drawMdcIcon(doc, icon, column.x, y, column.width) + 8;
  const iconsEnd = trendFindingsTop(entry.icons.length);
  if (entry.icons.length > 0) {
    doc.font(regular).fontSize(10).fillColor(nhsColours.darkGrey);
    doc.text(mdcReading, column.x, y, { width: column.width, height: iconsEnd - y - 4, ellipsis: true });
  }
  const rest = carried.get(entry.section.indicator.code);
  if (rest && rest.findings.length > 0) {
    const findingsTop = heading(doc, 'Findings (continued)', column.x, iconsEnd, column.width);
    drawBullets(doc, rest.findings, { x: column.x, y: findingsTop, width: column.width, height: bottom - findingsTop }, rest.size);
  }
}

/** What the icons say, under them: the words are on the page as well as the colours. */
const mdcReading =
  'Making Data Count icons for the latest period: variation says whether the pooled value shows special cause (H high, L low) or only common cause (~); assurance says whether the process limits lie consistently on the passing (P) or failing (F) side of the target, or straddle it (?).';

/** Where findings continued on a trend page start: under its icons and their reading. */
function trendFindingsTop(icons: number): number {
  return icons === 0 ? top : top + icons * 46 + 78;
}

/** A Making Data Count icon, drawn from the shared definition, with its words beside it; returns where it ends. */
function drawMdcIcon(doc: Document, icon: MdcIcon, x: number, y: number, width: number): number {
  const size = 36;
  const scale = size / mdcIconGeometry.box;
  const { centre, radius, stroke, letterSize } = mdcIconGeometry;
  doc.save();
  doc.circle(x + centre * scale, y + centre * scale, radius * scale).lineWidth(stroke * scale);
  doc.fillAndStroke(icon.filled ? icon.colour : nhsColours.white, icon.colour);
  doc.restore();
  const letter = letterSize * scale;
  doc.font(bold).fontSize(letter).fillColor(icon.filled ? nhsColours.white : icon.colour);
  doc.text(icon.letter, x, y + centre * scale - letter * 0.58, { width: size, align: 'center', lineBreak: false });
  doc.font(bold).fontSize(11).fillColor(nhsColours.black);
  const labelX = x + size + 8;
  const labelHeight = doc.heightOfString(icon.label, { width: width - size - 8 });
  doc.text(icon.label, labelX, y + Math.max(0, (size - labelHeight) / 2), { width: width - size - 8 });
  return y + Math.max(size, labelHeight);
}

/** A bold heading in NHS blue; returns where the text under it starts. */
function heading(doc: Document, text: string, x: number, y: number, width: number): number {
  doc.font(bold).fontSize(13).fillColor(nhsColours.blue).text(text, x, y, { width });
  return doc.y + 4;
}

/** The largest of the sizes (largest first) at which the text's height fits. */
function fittedSize(sizes: readonly number[], heightAt: (fontSize: number) => number, height: number): number {
  return sizes.find((size) => heightAt(size) <= height) ?? sizes.at(-1)!;
}

let measurer: Document | undefined;

/**
 * The height in points of text wrapped to `width` points in Arimo (Arial's metrics) at `size`, without a page:
 * the deck is written without a layout engine, so it measures its text here to choose sizes that fit.
 */
export function arialTextHeight(text: string, size: number, width: number): number {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont(regular, pngFontFiles().find((file) => file.endsWith('Arimo_400Regular.ttf'))!);
  }
  return measurer.font(regular).fontSize(size).heightOfString(text, { width });
}

function heights(doc: Document, fontSize: number, texts: readonly string[], width: number): number {
  doc.font(regular).fontSize(fontSize);
  return texts.reduce((total, text) => total + doc.heightOfString(text, { width }), 0);
}

const bulletIndent = 12;

function bulletHeight(doc: Document, text: string, size: number, width: number): number {
  return heights(doc, size, [text], width - bulletIndent) + bulletGap;
}

/** Bullets at the given size; text that would pass the box's foot is cut with an ellipsis rather than drawn over the footer. */
function drawBullets(doc: Document, items: readonly string[], { x, y, width, height }: { x: number; y: number; width: number; height: number }, size: number): void {
  doc.font(regular).fontSize(size).fillColor(nhsColours.black);
  let next = y;
  for (const item of items) {
    const room = y + height - next;
    if (room < size * 1.2) return;
    doc.text('•', x, next, { width: bulletIndent, lineBreak: false });
    doc.text(item, x + bulletIndent, next, { width: width - bulletIndent, height: room, ellipsis: true });
    next = doc.y + bulletGap;
  }
}

/** A header row in NHS blue, then the body rows with a rule under each; returns where the table ends. */
function drawTable(doc: Document, x: number, y: number, widths: readonly number[], header: readonly string[], rows: readonly (readonly string[])[], fontSize: number, padding = 3): number {
  let rowTop = y;
  for (const [index, row] of [header, ...rows].entries()) {
    const isHeader = index === 0;
    doc.font(isHeader ? bold : regular).fontSize(fontSize);
    const rowHeight = Math.max(...row.map((cell, column) => doc.heightOfString(cell, { width: widths[column] - 2 * padding }))) + 2 * padding;
    if (isHeader) doc.rect(x, rowTop, sum(widths), rowHeight).fill(nhsColours.blue);
    doc.fillColor(isHeader ? nhsColours.white : nhsColours.black);
    let cellLeft = x;
    row.forEach((cell, column) => {
      doc.text(cell, cellLeft + padding, rowTop + padding, { width: widths[column] - 2 * padding });
      cellLeft += widths[column];
    });
    rowTop += rowHeight;
    doc.moveTo(x, rowTop).lineTo(x + sum(widths), rowTop).lineWidth(0.5).strokeColor(nhsColours.grey4).stroke();
  }
  return rowTop;
}

const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
