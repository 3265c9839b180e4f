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
 * Two charts share a page, each about half its width: drawn on an 800 × 500 canvas so that their text stays
 * legible at that size, and rasterised at 1.5 times that (about 190 dpi on the page).
 */
export const packChartSize = { width: 800, height: 500 } as const;
const pixelRatio = 1.5;
/** Footnote lines longer than this wrap, so the method line fits the narrower canvas. */
const footnoteCharacters = 118;

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
 * The chart data of an indicator's page, mapped from the API's JSON exactly as the exports map it; only the
 * words around the SPC chart change, to name the network rather than a provider, and long footnotes wrap.
 */
export function packChartData(section: IndicatorSection): { funnel: FunnelChartData; spc: SpcChartData | null } {
  const funnel = funnelChartData(section.funnel);
  const spc = section.networkSpc === null ? null : spcChartData({ ...section.networkSpc, organisation: section.networkSpc.network });
  return {
    funnel: { ...funnel, footnote: wrapFootnote(funnel.footnote, footnoteCharacters) },
    spc: spc && { ...spc, title: `Pooled value of the ${section.networkSpc!.network.code} providers over time`, footnote: wrapFootnote(spc.footnote, footnoteCharacters) },
  };
}

/** The SVG is drawn now, on this thread; the PNG is rasterised on the thread pool while the next chart is drawn. */
function renderPackChart(options: ReturnType<typeof funnelChartOptions>): Promise<PackChart> {
  const svg = renderChartSvg(options, packChartSize);
  const aria = Array.isArray(options.aria) ? options.aria[0] : options.aria;
  return renderChartPixelsAsync(svg, { width: packChartSize.width * pixelRatio }).then(async (image) => ({
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
    const funnel = renderPackChart(funnelChartOptions(data.funnel));
    const spc = data.spc && renderPackChart(spcChartOptions(data.spc));
    return Promise.all([section.indicator.code, funnel, spc] as const);
  });
  return new Map((await Promise.all(pending)).map(([code, funnel, spc]) => [code, { funnel, spc }]));
}
