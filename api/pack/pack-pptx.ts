import PptxGenJS from 'pptxgenjs';
import { nhsColours } from '../charts';
import { mdcIconGeometry, type MdcIcon } from '../charts/mdc-icons';
import { nativeFunnel, nativeSpc, restyleCharts, type NativeChart } from './native-charts';
import type { PackContent } from './pack-content';
import { flowFindings, glanceCellHeight, glanceRowHeight, glanceTable, packFooter, packPages, summaryTable, summaryTableTop, type GlanceRow, type PackPage } from './pack-pages';
import { arialTextHeight } from './text-measure';

// pptxgenjs takes colours without the '#'.
const colour = (hex: string) => hex.slice(1);
const font = 'Arial';
const master = 'VARIATION_ATLAS_PACK';

/** A 16:9 slide of 13.33 × 7.5 inches; every position below is in inches. */
const slide = { width: 13.333, height: 7.5, margin: 0.4 };
const content = { width: slide.width - 2 * slide.margin };
const slideBottom = 6.95;

/** No text on a slide is smaller than this, charts, tables and footer included. */
export const slideMinimumSize = 14;
/** Findings, largest first: they flow at the largest size at which they all fit. */
const findingSizes = [18, 17, 16, 15, 14] as const;

type Slide = ReturnType<PptxGenJS['addSlide']>;
type TableRows = Parameters<Slide['addTable']>[0];
type ChartOptions = NonNullable<Parameters<Slide['addChart']>[2]>;

/**
 * The pack as a PowerPoint deck (pptxgenjs): a title slide, the variation at a glance, the outliers, three slides
 * per indicator (its funnel as a native chart across the slide, the key figures and findings, and the network's
 * SPC chart as a native chart with its Making Data Count icons and recent periods) and the methods. Charts and
 * tables are PowerPoint's own, so a board-paper author can restyle them; no text is below 14 pt. Every slide's
 * footer names the network, the period and when the data were loaded.
 */
export async function packPptx(pack: PackContent): Promise<Uint8Array> {
  const pptx = new PptxGenJS();
  pptx.layout = 'LAYOUT_WIDE';
  pptx.author = 'Variation Atlas';
  pptx.title = `${pack.network.name}: variation between providers, ${pack.period}`;
  pptx.defineSlideMaster({
    title: master,
    background: { color: colour(nhsColours.white) },
    objects: [
      { rect: { x: 0, y: 0, w: slide.width, h: 0.12, fill: { color: colour(nhsColours.blue) } } },
      { text: { text: packFooter(pack), options: { x: slide.margin, y: 7.02, w: 11.2, h: 0.36, fontFace: font, fontSize: slideMinimumSize, color: colour(nhsColours.darkGrey) } } },
    ],
    slideNumber: { x: 12.1, y: 7.02, w: 0.83, h: 0.36, fontFace: font, fontSize: slideMinimumSize, color: colour(nhsColours.darkGrey), align: 'right' },
  });
  const charts: NativeChart[] = [];
  for (const page of packPages(pack)) addPage(pptx, pptx.addSlide({ masterName: master }), page, pack, charts);
  // Compressed once here: restyling rewrites only the chart parts, and jszip keeps the others' compressed bytes.
  const bytes = await pptx.write({ outputType: 'uint8array', compression: true });
  if (!(bytes instanceof Uint8Array)) throw new Error('pptxgenjs did not write bytes');
  return restyleCharts(bytes, charts);
}

const tableBorder = { type: 'solid', pt: 0.5, color: colour(nhsColours.grey4) } as const;

function addPage(pptx: PptxGenJS, target: Slide, page: PackPage, pack: PackContent, charts: NativeChart[]): void {
  if (page.kind === 'title') {
    target.addText(page.title, { x: 0.8, y: 2.1, w: 11.7, h: 1.5, fontFace: font, fontSize: 36, bold: true, color: colour(nhsColours.blue), valign: 'bottom' });
    target.addText(
      page.lines.map((line) => ({ text: line, options: { breakLine: true } })),
      { x: 0.8, y: 3.8, w: 11.7, h: 1.8, fontFace: font, fontSize: 20, color: colour(nhsColours.darkGrey), valign: 'top', paraSpaceAfter: 6 },
    );
    return;
  }
  addHeading(target, page.title, 'subtitle' in page ? page.subtitle : undefined);
  switch (page.kind) {
    case 'glance':
      return addGlance(pptx, target, page);
    case 'summary': {
      const top = summaryTableTop(page.note);
      target.addText(page.note, { x: slide.margin, y: 0.95, w: content.width, h: top - 1.0, fontFace: font, fontSize: slideMinimumSize, color: colour(nhsColours.black), valign: 'top' });
      if (page.rows.length === 0) return;
      target.addTable(tableRows(page.header, page.rows), {
        x: slide.margin,
        y: top,
        w: content.width,
        colW: [...summaryTable.columns],
        fontFace: font,
        fontSize: summaryTable.size,
        margin: summaryTable.margin,
        border: tableBorder,
        valign: 'middle',
      });
      return;
    }
    case 'methods': {
      const height = slideBottom - 1.0;
      const fits = (size: number) => page.paragraphs.reduce((total, { heading, text }) => total + boxHeight(heading, size, content.width) + boxHeight(text, size, content.width) + 6 / 72, 0) <= height;
      const size = [16, 15, 14].find(fits) ?? slideMinimumSize;
      target.addText(
        page.paragraphs.flatMap(({ heading, text }) => [
          { text: heading, options: { bold: true, breakLine: true, color: colour(nhsColours.blue) } },
          { text, options: { breakLine: true, paraSpaceAfter: 6 } },
        ]),
        { x: slide.margin, y: 1.0, w: content.width, h: height, fontFace: font, fontSize: size, color: colour(nhsColours.black), valign: 'top' },
      );
      return;
    }
    case 'indicator': {
      // The funnel across the slide, the method under it (the picture's footnote, as text).
      const footnoteHeight = boxHeight(page.footnote, slideMinimumSize, content.width) + 0.05;
      const chart = nativeFunnel(page.section, pack.network);
      addNativeChart(pptx, target, chart, { x: slide.margin, y: 1.1, w: content.width, h: slideBottom - 1.1 - footnoteHeight });
      charts.push(chart);
      target.addText(page.footnote, { x: slide.margin, y: slideBottom - footnoteHeight, w: content.width, h: footnoteHeight, fontFace: font, fontSize: slideMinimumSize, color: colour(nhsColours.darkGrey), valign: 'top' });
      return;
    }
    case 'findings':
      return addFindingsSlide(target, page);
    case 'trend':
      return addTrend(pptx, target, page, pack, charts);
  }
}

/** The findings slide: the key figures on the left, the findings in the column on the right and under the table. */
const keyFigures = { x: slide.margin, y: 1.15, w: 5.3, rowH: 0.4 };
const findingsColumn = { x: keyFigures.x + keyFigures.w + 0.25, y: 1.15, w: slide.width - slide.margin - (keyFigures.x + keyFigures.w + 0.25), h: slideBottom - 1.15 };

function addFindingsSlide(target: Slide, page: Extract<PackPage, { kind: 'findings' }>): void {
  const rows = tableRows(['Key figure', 'Value'], page.keyFigures);
  // Each row's height from its words at 14 pt, so the box under the table starts where the table ends.
  const heights = [['Key figure', 'Value'], ...page.keyFigures].map((row) => Math.max(keyFigures.rowH, ...row.map((cell, column) => boxHeight(cell, slideMinimumSize, column === 0 ? 3.0 : keyFigures.w - 3.0) + 0.02)));
  target.addTable(rows, { x: keyFigures.x, y: keyFigures.y, w: keyFigures.w, colW: [3.0, keyFigures.w - 3.0], rowH: heights, fontFace: font, fontSize: slideMinimumSize, margin: 0.05, border: tableBorder, valign: 'middle' });
  const under = keyFigures.y + heights.reduce((total, height) => total + height, 0) + 0.2;
  const boxes = [findingsColumn, { x: keyFigures.x, y: under, w: keyFigures.w, h: slideBottom - under }];
  const layout = flowFindings(page.findings, boxes.map((box) => box.h), (size, index) => (finding) => findingHeight(finding, size, boxes[index].w), findingSizes);
  layout.boxes.forEach((findings, index) => addFindings(target, findings, boxes[index], layout.size));
}

/** The trend slide: the SPC chart across the slide; under it its icons with their words, and the recent periods. */
const spcBox = { x: slide.margin, y: 1.1, w: content.width, h: 3.85 };
const iconColumn = { x: slide.margin, y: spcBox.y + spcBox.h + 0.1, w: 4.3 };
const iconSize = 0.5;
const trendTable = { x: iconColumn.x + iconColumn.w + 0.23, colW: [1.45, 1.7, 1.25, 2.2, 1.4] };

function addTrend(pptx: PptxGenJS, target: Slide, page: Extract<PackPage, { kind: 'trend' }>, pack: PackContent, charts: NativeChart[]): void {
  const chart = nativeSpc(page.section, pack.network);
  if (chart) {
    addNativeChart(pptx, target, chart, spcBox);
    charts.push(chart);
  } else {
    target.addText(`The network's SPC chart cannot be drawn: ${page.section.networkSpcReason ?? 'no series'}.`, { ...spcBox, h: 1, fontFace: font, fontSize: 16, color: colour(nhsColours.darkGrey) });
  }
  if (page.icons.length > 0) {
    target.addText(mdcReading, { x: iconColumn.x, y: iconColumn.y, w: iconColumn.w, h: 0.3, fontFace: font, fontSize: slideMinimumSize, bold: true, color: colour(nhsColours.darkGrey), valign: 'top', margin: 0 });
  }
  let y = iconColumn.y + 0.4;
  for (const icon of page.icons) {
    addMdcIcon(pptx, target, icon, iconColumn.x, y, iconSize);
    target.addText(icon.label, { x: iconColumn.x + iconSize + 0.1, y: y - 0.1, w: iconColumn.w - iconSize - 0.1, h: iconSize + 0.2, fontFace: font, fontSize: 15, color: colour(nhsColours.black), valign: 'middle', margin: 0 });
    y += iconSize + 0.2;
  }
  if (page.rows.length > 0) {
    target.addTable(tableRows(page.header, page.rows), {
      x: trendTable.x,
      y: iconColumn.y,
      w: trendTable.colW.reduce((total, width) => total + width, 0),
      colW: trendTable.colW,
      rowH: 0.32,
      fontFace: font,
      fontSize: slideMinimumSize,
      margin: 0.04,
      border: tableBorder,
      valign: 'middle',
    });
  }
}

/** Over the icons; each icon's words are beside it, so colour is never the only cue. */
const mdcReading = 'Making Data Count, latest period';

/** The summary table: native, at 14 pt, each row as tall as its words, the SPC icons drawn beside their words. */
function addGlance(pptx: PptxGenJS, target: Slide, page: Extract<PackPage, { kind: 'glance' }>): void {
  target.addText(page.note, { x: slide.margin, y: 0.85, w: content.width, h: glanceTable.top - 0.9, fontFace: font, fontSize: slideMinimumSize, color: colour(nhsColours.black), valign: 'top', margin: [0, 0.05, 0, 0.05] });
  const last = glanceTable.columns.length - 1;
  const margin = glanceTable.margin;
  const heights = [glanceRowHeight(page.header, true), ...page.rows.map((row) => glanceRowHeight(row.cells))];
  const body = page.rows.map((row) =>
    row.cells.map((text, column) => ({
      text,
      options: column === last && row.icons.length > 0 ? { margin: [margin, margin, margin, margin + glanceTable.iconArea] as [number, number, number, number], valign: 'top' as const } : {},
    })),
  );
  target.addTable([tableRows(page.header, [])[0], ...body], {
    x: slide.margin,
    y: glanceTable.top,
    w: content.width,
    colW: [...glanceTable.columns],
    rowH: heights,
    fontFace: font,
    fontSize: glanceTable.size,
    margin,
    border: tableBorder,
    valign: 'middle',
  });
  // Each icon level with the first line of its words.
  let top = glanceTable.top + heights[0];
  const x = slide.margin + glanceTable.columns.slice(0, last).reduce((total, width) => total + width, 0) + margin;
  page.rows.forEach((row: GlanceRow, index) => {
    let y = top + margin;
    row.icons.forEach((icon) => {
      addMdcIcon(pptx, target, icon, x, y + 0.005, 0.3);
      y += glanceCellHeight(icon.label, last) - 2 * margin;
    });
    top += heights[index + 1];
  });
}

/** A Making Data Count icon drawn from the shared definition as a native shape, `size` inches across. */
function addMdcIcon(pptx: PptxGenJS, target: Slide, icon: MdcIcon, x: number, y: number, size: number): void {
  const scale = size / mdcIconGeometry.box;
  const inset = (mdcIconGeometry.centre - mdcIconGeometry.radius) * scale;
  target.addText(icon.letter, {
    shape: pptx.ShapeType.ellipse,
    x: x + inset,
    y: y + inset,
    w: size - 2 * inset,
    h: size - 2 * inset,
    fill: { color: colour(icon.filled ? icon.colour : nhsColours.white) },
    line: { color: colour(icon.colour), width: mdcIconGeometry.stroke * scale * 72 },
    fontFace: font,
    fontSize: Math.max(slideMinimumSize, Math.round(mdcIconGeometry.letterSize * scale * 72)),
    bold: true,
    color: colour(icon.filled ? nhsColours.white : icon.colour),
    align: 'center',
    valign: 'middle',
    margin: 0,
  });
}

/** A native chart in the box, every text in it at 14 pt or more (the title at 16). */
function addNativeChart(pptx: PptxGenJS, target: Slide, chart: NativeChart, box: { x: number; y: number; w: number; h: number }): void {
  const text = { fontFace: font, color: colour(nhsColours.black) };
  const options: ChartOptions = {
    ...box,
    title: chart.title,
    showTitle: true,
    titleFontFace: font,
    titleFontSize: 16,
    titleColor: colour(nhsColours.black),
    showLegend: true,
    legendPos: 'r',
    legendFontFace: font,
    legendFontSize: slideMinimumSize,
    showCatAxisTitle: true,
    catAxisTitle: chart.xTitle,
    catAxisTitleFontSize: slideMinimumSize,
    catAxisTitleFontFace: font,
    catAxisLabelFontSize: slideMinimumSize,
    catAxisLabelFontFace: font,
    catAxisLabelColor: text.color,
    showValAxisTitle: true,
    valAxisTitle: chart.yTitle,
    valAxisTitleFontSize: slideMinimumSize,
    valAxisTitleFontFace: font,
    valAxisLabelFontSize: slideMinimumSize,
    valAxisLabelFontFace: font,
    valAxisLabelColor: text.color,
    valAxisMinVal: chart.y.min,
    valAxisMaxVal: chart.y.max,
    valAxisLabelFormatCode: chart.y.format,
    valAxisMajorUnit: chart.y.step,
    dataLabelFontSize: slideMinimumSize,
    dataLabelFontFace: font,
    displayBlanksAs: 'gap',
    lineDataSymbol: 'circle',
    lineSize: 1,
    valGridLine: { color: 'E8EDEE', size: 0.75 },
    catGridLine: { style: 'none' },
    chartColors: chart.series.map((series) => colour(series.style.colour)),
    altText: chart.title,
  };
  if (chart.kind === 'scatter') {
    const data = [{ name: 'X-Axis', values: chart.x as number[] }, ...chart.series.map((series) => ({ name: series.name, values: series.values as number[] }))];
    // A scatter chart's x axis is a value axis; pptxgenjs formats its labels with the y axis's code.
    target.addChart(pptx.ChartType.scatter, data, { ...options, catAxisMinVal: chart.xRange?.min, catAxisMaxVal: chart.xRange?.max, catAxisMajorUnit: chart.xRange?.step });
  } else {
    const data = chart.series.map((series) => ({ name: series.name, labels: chart.x as string[], values: series.values as number[] }));
    // Every other period named when they would crowd the axis.
    target.addChart(pptx.ChartType.line, data, { ...options, catAxisLabelFrequency: chart.x.length > 12 ? '2' : '1' });
  }
}

/** pptxgenjs's text box insets (0.1 inch each side) and the bullet's indent, in inches. */
const textInset = 0.2;
const bulletIndent = 0.35;
/** PowerPoint sets Arial a little looser than its font metrics say: room to spare. */
const lineSlack = 1.1;

/** A text's height in inches in a box `width` inches wide, measured in Arial's metrics. */
function boxHeight(text: string, size: number, width: number): number {
  return (arialTextHeight(text, size, (width - textInset) * 72) * lineSlack) / 72;
}

function findingHeight(finding: string, size: number, width: number): number {
  return boxHeight(finding, size, width - bulletIndent) + 6 / 72;
}

function addFindings(target: Slide, findings: readonly string[], area: { x: number; y: number; w: number; h: number }, size: number): void {
  if (findings.length === 0) return;
  target.addText(
    findings.map((finding) => ({ text: finding, options: { bullet: true, breakLine: true, paraSpaceAfter: 6 } })),
    { ...area, fontFace: font, fontSize: size, color: colour(nhsColours.black), valign: 'top', margin: [0.05, 0.1, 0.05, 0.1] },
  );
}

function addHeading(target: Slide, title: string, subtitle: string | undefined): void {
  // A long title steps down to stay on one line.
  const size = [26, 22, 18].find((points) => arialTextHeight(title, points, (content.width - textInset) * 72, true) < 1.5 * points) ?? 18;
  target.addText(title, { x: slide.margin, y: 0.2, w: content.width, h: 0.55, fontFace: font, fontSize: size, bold: true, color: colour(nhsColours.blue), valign: 'middle' });
  if (subtitle) target.addText(subtitle, { x: slide.margin, y: 0.72, w: content.width, h: 0.36, fontFace: font, fontSize: 16, color: colour(nhsColours.darkGrey) });
}

/** A header row in NHS blue, then the body rows. */
function tableRows(header: string[], rows: readonly (readonly string[])[]): TableRows {
  return [
    header.map((text) => ({ text, options: { bold: true, color: colour(nhsColours.white), fill: { color: colour(nhsColours.blue) } } })),
    ...rows.map((row) => row.map((text) => ({ text }))),
  ];
}
