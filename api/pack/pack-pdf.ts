import PDFDocument from 'pdfkit';
import { nhsColours } from '../charts';
import { pngFontFiles } from '../charts/render-png';
import type { IndicatorCharts } from './pack-charts';
import type { PackContent } from './pack-content';
import { packFooter, packPages, type PackPage } from './pack-pages';

type Document = InstanceType<typeof PDFDocument>;

/** A4 landscape in points (1/72 inch), with a half-inch margin. */
const page = { width: 841.89, height: 595.28, margin: 36 };
const contentWidth = page.width - 2 * page.margin;
const top = 76;
const footerY = page.height - 28;
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
  for (const entry of packPages(pack)) {
    doc.addPage();
    doc.rect(0, 0, page.width, 8).fill(nhsColours.blue);
    drawPage(doc, entry, charts);
  }
  const footer = packFooter(pack);
  const { start, count } = doc.bufferedPageRange();
  for (let index = start; index < start + count; index++) {
    doc.switchToPage(index);
    doc.font(regular).fontSize(8).fillColor(nhsColours.darkGrey);
    doc.text(footer, page.margin, footerY, { width: contentWidth - 80, lineBreak: false });
    doc.text(`Page ${index - start + 1} of ${count}`, page.width - page.margin - 80, footerY, { width: 80, align: 'right', lineBreak: false });
  }
  doc.end();
  await finished;
  return Buffer.concat(chunks);
}

function drawPage(doc: Document, entry: PackPage, charts: ReadonlyMap<string, IndicatorCharts>): void {
  if (entry.kind === 'title') {
    doc.font(bold).fontSize(30).fillColor(nhsColours.blue).text(entry.title, 60, 190, { width: page.width - 120 });
    doc.font(regular).fontSize(15).fillColor(nhsColours.darkGrey);
    for (const line of entry.lines) doc.text(line, 60, doc.y + 10, { width: page.width - 120 });
    return;
  }
  doc.font(bold).fontSize(20).fillColor(nhsColours.blue).text(entry.title, page.margin, 22, { width: contentWidth, lineBreak: false, ellipsis: true });
  if (entry.kind === 'indicator') doc.font(regular).fontSize(11).fillColor(nhsColours.darkGrey).text(entry.subtitle, page.margin, 50, { width: contentWidth, lineBreak: false });
  if (entry.kind === 'summary') {
    doc.font(regular).fontSize(10).fillColor(nhsColours.black).text(entry.note, page.margin, 56, { width: contentWidth });
    if (entry.rows.length > 0) drawTable(doc, page.margin, doc.y + 10, [190, 250, 65, 65, 65, 134.89], entry.header, entry.rows, 9);
    return;
  }
  if (entry.kind === 'methods') {
    const height = footerY - 12 - 56;
    const size = fittedSize([11, 10, 9, 8, 7], (fontSize) => entry.paragraphs.reduce((total, { heading, text }) => total + heights(doc, fontSize, [heading, text], contentWidth) + 8, 0), height);
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
  const chartWidth = (contentWidth - 12) / 2;
  const chartHeight = (chartWidth * drawn.funnel.height) / drawn.funnel.width;
  doc.image(drawn.funnel.png, page.margin, top, { width: chartWidth, height: chartHeight });
  if (drawn.spc) doc.image(drawn.spc.png, page.margin + chartWidth + 12, top, { width: chartWidth, height: chartHeight });
  else {
    doc.font(regular).fontSize(10).fillColor(nhsColours.darkGrey);
    doc.text(`The network's SPC chart cannot be drawn: ${entry.section.networkSpcReason ?? 'no series'}.`, page.margin + chartWidth + 12, top + 20, { width: chartWidth });
  }
  const textTop = top + chartHeight + 12;
  const findingsWidth = 480;
  drawBullets(doc, entry.findings, page.margin, textTop, findingsWidth, footerY - 10 - textTop);
  drawTable(doc, page.margin + findingsWidth + 16, textTop, [150, contentWidth - findingsWidth - 16 - 150], ['Key figure', 'Value'], entry.keyFigures, 7.5);
}

/** The largest of the sizes (largest first) at which the text's height fits. */
function fittedSize(sizes: readonly number[], heightAt: (fontSize: number) => number, height: number): number {
  return sizes.find((size) => heightAt(size) <= height) ?? sizes.at(-1)!;
}

function heights(doc: Document, fontSize: number, texts: readonly string[], width: number): number {
  doc.font(regular).fontSize(fontSize);
  return texts.reduce((total, text) => total + doc.heightOfString(text, { width }), 0);
}

const bulletIndent = 10;

function drawBullets(doc: Document, items: readonly string[], x: number, y: number, width: number, height: number): void {
  const gap = 4;
  const size = fittedSize([10, 9, 8, 7], (fontSize) => heights(doc, fontSize, items, width - bulletIndent) + gap * items.length, height);
  doc.font(regular).fontSize(size).fillColor(nhsColours.black);
  let next = y;
  for (const item of items) {
    doc.text('•', x, next, { width: bulletIndent, lineBreak: false });
    doc.text(item, x + bulletIndent, next, { width: width - bulletIndent });
    next = doc.y + gap;
  }
}

/** A header row in NHS blue, then the body rows with a rule under each; returns where the table ends. */
function drawTable(doc: Document, x: number, y: number, widths: readonly number[], header: readonly string[], rows: readonly (readonly string[])[], fontSize: number): number {
  const padding = 3;
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
