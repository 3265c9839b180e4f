import PDFDocument from 'pdfkit';
import { nhsColours } from '../charts';
import { pngFontFiles } from '../charts/render-png';
import { packChartSizes, type IndicatorCharts } from './pack-charts';
import type { PackContent } from './pack-content';
import { mdcIconGeometry, type MdcIcon } from '../charts/mdc-icons';
import { flowFindings, glanceTable, packFooter, packPages, type GlanceRow, type PackPage } from './pack-pages';

type Document = InstanceType<typeof PDFDocument>;

/** A4 landscape in points (1/72 inch), with a half-inch margin. */
const page = { width: 841.89, height: 595.28, margin: 36 };
const contentWidth = page.width - 2 * page.margin;
const top = 76;
const footerY = page.height - 26;
const regular = 'Arimo';
const bold = 'Arimo-Bold';

/**
 * The pack as an A4 landscape PDF (pdfkit) with the same pages as the deck: the charts as server-rendered
 * pictures (the funnel across its page), the summary table with the SPC icons, the findings, the tables and the
 * methods, in Arimo (Arial's metrics) embedded so it reads alike everywhere; no text below 10 pt. Every footer has
 * the page number, the period and when the data were loaded.
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
  for (const entry of packPages(pack)) {
    doc.addPage();
    doc.rect(0, 0, page.width, 8).fill(nhsColours.blue);
    drawPage(doc, entry, charts);
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

/** Where an indicator's pages put things: the funnel across its page; the SPC chart on the left, its icons on the right, a table under it. */
const funnelBox = { x: page.margin, y: 70, width: contentWidth, height: (contentWidth * packChartSizes.funnel.height) / packChartSizes.funnel.width };
const chartBox = { x: page.margin, y: top, width: 480, height: 320 };
const column = { x: chartBox.x + chartBox.width + 16, width: page.width - page.margin - (chartBox.x + chartBox.width + 16) };
const underChart = chartBox.y + chartBox.height + 8;
const bottom = footerY - 8;
/** Findings, largest first: never below 10 pt in print. */
const bodySizes = [13, 12, 11, 10] as const;
const bulletGap = 4;
/** The findings page: the key figures on the left, the findings on the right and under the table. */
const keyFiguresWidth = 330;

function drawPage(doc: Document, entry: PackPage, charts: ReadonlyMap<string, IndicatorCharts>): void {
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
  if ('subtitle' in entry) doc.font(regular).fontSize(12).fillColor(nhsColours.darkGrey).text(entry.subtitle, page.margin, 48, { width: contentWidth, lineBreak: false, ellipsis: true });
  if (entry.kind === 'glance') {
    doc.font(regular).fontSize(11).fillColor(nhsColours.black).text(entry.note, page.margin, 50, { width: contentWidth });
    drawGlance(doc, doc.y + 10, entry.header, entry.rows);
    return;
  }
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
  if (entry.kind === 'findings') {
    const tableEnd = drawTable(doc, page.margin, top, [190, keyFiguresWidth - 190], ['Key figure', 'Value'], entry.keyFigures, 11, 3);
    const columnX = page.margin + keyFiguresWidth + 20;
    const findingsTop = heading(doc, 'Findings', columnX, top, page.width - page.margin - columnX);
    const boxes = [
      { x: columnX, y: findingsTop, width: page.width - page.margin - columnX, height: bottom - findingsTop },
      { x: page.margin, y: tableEnd + 16, width: keyFiguresWidth, height: bottom - tableEnd - 16 },
    ];
    const layout = flowFindings(entry.findings, boxes.map((box) => box.height), (size, box) => (finding) => bulletHeight(doc, finding, size, boxes[box].width), bodySizes);
    layout.boxes.forEach((findings, index) => drawBullets(doc, findings, boxes[index], layout.size));
    return;
  }
  const drawn = charts.get(entry.section.indicator.code);
  if (!drawn) throw new Error(`no charts were rendered for ${entry.section.indicator.code}`);
  if (entry.kind === 'indicator') {
    doc.image(drawn.funnel.png, funnelBox.x, funnelBox.y, { width: funnelBox.width, height: funnelBox.height });
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
  if (entry.icons.length > 0) {
    doc.font(regular).fontSize(11).fillColor(nhsColours.darkGrey);
    doc.text(mdcReading, column.x, y, { width: column.width });
  }
}

/** The summary table's columns in points, in the proportions of the slide's. */
const glanceWidths = glanceTable.columns.map((inches) => (inches * contentWidth) / glanceTable.columns.reduce((total, width) => total + width, 0));
const glanceSize = 10;
/** The icons' letters print at 10 pt or more. */
const glanceIcon = 22;

/** The summary table: a header in NHS blue, a row per indicator, the SPC icons each beside its words. */
function drawGlance(doc: Document, y: number, header: readonly string[], rows: readonly GlanceRow[]): void {
  const padding = 3;
  const last = glanceWidths.length - 1;
  let rowTop = drawTable(doc, page.margin, y, glanceWidths, header, [], glanceSize, padding);
  for (const row of rows) {
    doc.font(regular).fontSize(glanceSize);
    const cellWidth = (column: number) => glanceWidths[column] - 2 * padding - (column === last && row.icons.length > 0 ? glanceIcon + 4 : 0);
    const lines = row.icons.length > 0 ? row.icons.map((icon) => icon.label) : [row.cells[last]];
    const spcHeight = lines.reduce((total, line) => total + Math.max(glanceIcon, doc.heightOfString(line, { width: cellWidth(last) })) + 2, 0);
    const rowHeight = Math.max(spcHeight, ...row.cells.slice(0, last).map((cell, column) => doc.heightOfString(cell, { width: cellWidth(column) }))) + 2 * padding;
    doc.fillColor(nhsColours.black);
    let x = page.margin;
    row.cells.slice(0, last).forEach((cell, column) => {
      doc.text(cell, x + padding, rowTop + padding, { width: cellWidth(column) });
      x += glanceWidths[column];
    });
    let lineTop = rowTop + padding;
    lines.forEach((line, index) => {
      const icon = row.icons[index];
      if (icon) drawMdcIcon(doc, icon, x + padding, lineTop, 0, glanceIcon);
      doc.font(regular).fontSize(glanceSize).fillColor(nhsColours.black);
      const height = doc.heightOfString(line, { width: cellWidth(last) });
      doc.text(line, x + padding + (icon ? glanceIcon + 4 : 0), lineTop + Math.max(0, (glanceIcon - height) / 2), { width: cellWidth(last) });
      lineTop += Math.max(glanceIcon, height) + 2;
    });
    rowTop += rowHeight;
    doc.moveTo(page.margin, rowTop).lineTo(page.margin + contentWidth, rowTop).lineWidth(0.5).strokeColor(nhsColours.grey4).stroke();
  }
}

/** What the icons say, under them: the words are on the page as well as the colours. */
const mdcReading =
  'Making Data Count icons for the latest period: variation says whether the pooled value shows special cause (H high, L low) or only common cause (~); assurance says whether the process limits lie consistently on the passing (P) or failing (F) side of the target, or straddle it (?).';

/** A Making Data Count icon `size` points across, drawn from the shared definition, with its words beside it when `width` leaves room; returns where it ends. */
function drawMdcIcon(doc: Document, icon: MdcIcon, x: number, y: number, width: number, size = 36): number {
  const scale = size / mdcIconGeometry.box;
  const { centre, radius, stroke, letterSize } = mdcIconGeometry;
  doc.save();
  doc.circle(x + centre * scale, y + centre * scale, radius * scale).lineWidth(stroke * scale);
  doc.fillAndStroke(icon.filled ? icon.colour : nhsColours.white, icon.colour);
  doc.restore();
  const letter = letterSize * scale;
  doc.font(bold).fontSize(letter).fillColor(icon.filled ? nhsColours.white : icon.colour);
  doc.text(icon.letter, x, y + centre * scale - letter * 0.58, { width: size, align: 'center', lineBreak: false });
  if (width <= size) return y + size;
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
