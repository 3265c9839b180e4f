import { renderPackCharts } from './pack-charts';
import type { PackContent } from './pack-content';
import { packPdf } from './pack-pdf';
import { packPptx } from './pack-pptx';

export const packFormats = ['pptx', 'pdf'] as const;
export type PackFormat = (typeof packFormats)[number];

export const packMediaTypes: Record<PackFormat, string> = {
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  pdf: 'application/pdf',
};

/** "board-pack-KB-CVD-SCN-2025-26-Q2.pdf": the network and period, in characters every file system takes. */
export function packFileName(content: Pick<PackContent, 'network' | 'period'>, format: PackFormat): string {
  return `${`board-pack-${content.network.code}-${content.period}`.replace(/[^A-Za-z0-9-]+/g, '-')}.${format}`;
}

/** The pack in each format asked for: the deck draws native charts; the PDF's pictures are rendered only for it. */
export async function packFiles(content: PackContent, formats: readonly PackFormat[]): Promise<Map<PackFormat, Uint8Array>> {
  const files = new Map<PackFormat, Uint8Array>();
  for (const format of formats) files.set(format, format === 'pdf' ? await packPdf(content, await renderPackCharts(content)) : await packPptx(content));
  return files;
}
