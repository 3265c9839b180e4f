import { funnelChartData, funnelChartOptions, renderChartSvg, spcChartData, spcChartOptions, type FunnelChartData, type SpcChartData } from '../charts';
import { renderChartPixelsAsync } from '../charts/render-png';
import { opaquePng } from './opaque-png';
import type { IndicatorSection, PackContent } from './pack-content';

/** A chart as the pack embeds it: the PNG, its size in pixels and its accessible description (the image's alt text). */
export interface PackChart {
  png: Buffer;
  width: number;
  height: number;
  description: string;
}

export interface IndicatorCharts {
  funnel: PackChart;
  /** The network's SPC chart; null when the series cannot be charted. */
  spc: PackChart | null;
}

/**
 * The PDF's pictures of the charts (the deck draws native charts). The funnel spans its page, 770 pt wide: drawn on
 * a canvas of 768 × 432 its smallest text (11 px) prints at 11 pt. The SPC chart has the left of its page, 480 pt
 * wide: on 576 × 384 its smallest text prints at 9.2 pt. Both are rasterised at twice that (150–170 dpi on paper).
 */
export const packChartSizes = { funnel: { width: 768, height: 432 }, spc: { width: 576, height: 384 } } as const;
/** The smallest text a chart draws, in canvas pixels (footnotes and point labels). */
export const packChartSmallestText = 11;
const pixelRatio = 2;
/** Footnote lines longer than these wrap, so the method line fits the canvas. */
const footnoteCharacters = { funnel: 130, spc: 95 } as const;

/** Breaks each line of a footnote at spaces so that none is longer than `width` characters (a longer word stays whole). */
export function wrapFootnote(footnote: string, width: number): string {
  return footnote
    .split('\n')
    .flatMap((line) =>
      line.split(' ').reduce<string[]>((lines, word) => {
        const last = lines.at(-1);
        if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
        else lines.push(word);
        return lines;
      }, []),
    )
    .join('\n');
}

/**
 * The chart data of an indicator's pages, mapped from the API's JSON exactly as the exports map it; only the
 * SPC chart's title changes, to say it pools the network's providers (the page beside it draws its Making Data
 * Count icons), and long footnotes wrap.
 */
export function packChartData(section: IndicatorSection): { funnel: FunnelChartData; spc: SpcChartData | null } {
  const funnel = funnelChartData(section.funnel);
  const spc = section.networkSpc === null ? null : spcChartData({ ...section.networkSpc, organisation: section.networkSpc.network });
  return {
    funnel: { ...funnel, footnote: wrapFootnote(funnel.footnote, footnoteCharacters.funnel) },
    spc: spc && { ...spc, title: section.networkSpc!.network.name, footnote: wrapFootnote(spc.footnote, footnoteCharacters.spc) },
  };
}

/** The SVG is drawn now, on this thread; the PNG is rasterised on the thread pool while the next chart is drawn. */
function renderPackChart(options: ReturnType<typeof funnelChartOptions>, size: { width: number; height: number }): Promise<PackChart> {
  const svg = renderChartSvg(options, size);
  const aria = Array.isArray(options.aria) ? options.aria[0] : options.aria;
  return renderChartPixelsAsync(svg, { width: size.width * pixelRatio }).then(async (image) => ({
    png: await opaquePng(image),
    width: image.width,
    height: image.height,
    description: aria?.label?.description ?? '',
  }));
}

/** Every indicator's funnel and network SPC chart, rendered on the server (ECharts SSR, resvg with Arimo), by indicator code. */
export async function renderPackCharts(content: Pick<PackContent, 'indicators'>): Promise<Map<string, IndicatorCharts>> {
  const pending = content.indicators.map((section) => {
    const data = packChartData(section);
    const funnel = renderPackChart(funnelChartOptions(data.funnel), packChartSizes.funnel);
    const spc = data.spc && renderPackChart(spcChartOptions(data.spc), packChartSizes.spc);
    return Promise.all([section.indicator.code, funnel, spc] as const);
  });
  return new Map((await Promise.all(pending)).map(([code, funnel, spc]) => [code, { funnel, spc }]));
}
