import PDFDocument from 'pdfkit';
import { pngFontFiles } from '../charts/render-png';

let measurer: InstanceType<typeof PDFDocument> | undefined;

/**
 * The height in points of text wrapped to `width` points in Arimo (Arial's metrics) at `size`, without a page:
 * the deck is written without a layout engine, so it measures its text here to choose sizes and rows that fit.
 */
export function arialTextHeight(text: string, size: number, width: number, bold = false): number {
  if (!measurer) {
    measurer = new PDFDocument({ autoFirstPage: false });
    measurer.registerFont('Arimo', pngFontFiles().find((file) => file.endsWith('Arimo_400Regular.ttf'))!);
    measurer.registerFont('Arimo-Bold', pngFontFiles().find((file) => file.endsWith('Arimo_700Bold.ttf'))!);
  }
  return measurer.font(bold ? 'Arimo-Bold' : 'Arimo').fontSize(size).heightOfString(text, { width });
}
