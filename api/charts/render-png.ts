/**
 * PNG from a rendered chart SVG with resvg (@resvg/resvg-js), for board papers that take pictures.
 * resvg draws no text without a font, and a fresh machine may have no system fonts at all, so the
 * PNG uses Arimo, loaded from the `@expo-google-fonts/arimo` package (only its .ttf files, none of
 * its Expo code), and never the system's fonts: the same glyphs on every machine. Arimo has Arial's
 * metrics, which is what ECharts assumes when it measures text without a canvas (zrender's default
 * width table), so labels wrap and fit in the PNG exactly as laid out, and as in Arial on NHS
 * desktops. Charts ask for Arial first; resvg finds no Arial and takes Arimo, next in the list.
 */
import { createRequire } from 'node:module';
import { renderAsync, Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';

export const pngFontFamily = 'Arimo';

const fontFileNames = ['400Regular/Arimo_400Regular', '700Bold/Arimo_700Bold', '400Regular_Italic/Arimo_400Regular_Italic', '700Bold_Italic/Arimo_700Bold_Italic'];

/** Paths of the bundled fonts (regular and bold, with their italics), resolved like any dependency. */
export function pngFontFiles(): string[] {
  const require = createRequire(import.meta.url);
  return fontFileNames.map((file) => require.resolve(`@expo-google-fonts/arimo/${file}.ttf`));
}

export interface PngOptions {
  /** Output width in pixels; the height follows the SVG's aspect ratio. */
  width: number;
  /** Font files to draw text with instead of the bundled Arimo, e.g. a font the trust licenses. */
  fontFiles?: string[];
}

/** resvg's settings for a chart: scaled to the width, on white, with the given or bundled fonts only. */
export function pngRenderOptions(options: PngOptions): ResvgRenderOptions {
  return {
    fitTo: { mode: 'width', value: options.width },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: options.fontFiles ?? pngFontFiles(),
      defaultFontFamily: pngFontFamily,
      sansSerifFamily: pngFontFamily,
    },
  };
}

export interface ChartPixels {
  width: number;
  height: number;
  /** RGBA, row by row from the top left. */
  pixels: Buffer;
}

/** The chart as raw pixels, for checking what a PNG shows without decoding it. */
export function renderChartPixels(svg: string, options: PngOptions): ChartPixels {
  const image = new Resvg(svg, pngRenderOptions(options)).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}

export function renderChartPng(svg: string, options: PngOptions): Buffer {
  return new Resvg(svg, pngRenderOptions(options)).render().asPng();
}

/** The same pixels rasterised on libuv's thread pool, so that many charts (a board pack's) render in parallel with other work. */
export async function renderChartPixelsAsync(svg: string, options: PngOptions): Promise<ChartPixels> {
  const image = await renderAsync(svg, pngRenderOptions(options));
  return { width: image.width, height: image.height, pixels: image.pixels };
}
