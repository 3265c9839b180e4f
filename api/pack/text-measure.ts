import PDFDocument from 'pdfkit';
import { pngFontFiles } from '../charts/render-png';

let measurer: InstanceType<typeof PDFDocument> | undefined;

/** The share of a line's width text is measured against: what renderers' own line breaking leaves spare. */
const wrapMargin = 0.96;

/**
 * The height in points of text wrapped to `width` points in Arimo (Arial's metrics) at `size`, without a page:
 * the deck is written without a layout engine, so it measures its text here to choose sizes and rows that fit.
 * It measures against a slightly narrower width than given: LibreOffice breaks lines sooner than these metrics
 * (a 156.4 pt line broke in a 157 pt cell), grew those table rows past the heights the deck set, and so pushed
 * every row below away from the icons drawn beside it.
 */
export function arialTextHeight(text: string, size: number, width: number, bold = false): number {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont('Arimo', pngFontFiles().find((file) => file.endsWith('Arimo_400Regular.ttf'))!);
    measurer.registerFont('Arimo-Bold', pngFontFiles().find((file) => file.endsWith('Arimo_700Bold.ttf'))!);
  }
  return measurer.font(bold ? 'Arimo-Bold' : 'Arimo').fontSize(size).heightOfString(text, { width: width * wrapMargin });
}
