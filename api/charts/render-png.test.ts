import { describe, expect, it } from 'vitest';
import { funnelFixture } from './chart-fixtures';
import { funnelChartOptions } from './funnel-options';
import { mdcIconColours, withMdcIcons } from './mdc-icons';
import { spcChartOptions } from './spc-options';
import { spcFixture } from './chart-fixtures';
import { pngFontFiles, pngRenderOptions, renderChartPixels, renderChartPng, renderChartPixelsAsync } from './render-png';
import { chartSizes, renderChartSvg } from './render-svg';

/** Width and height from a PNG's IHDR chunk: big-endian at bytes 16 and 20, after the signature and chunk header. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Dark pixels in a rectangle of an RGBA image: text and marks, not the white page. */
function darkPixels(pixels: Buffer, imageWidth: number, area: { left: number; top: number; right: number; bottom: number }): number {
  let count = 0;
  for (let y = area.top; y < area.bottom; y += 1) {
    for (let x = area.left; x < area.right; x += 1) {
      const offset = (y * imageWidth + x) * 4;
      if (pixels[offset] + pixels[offset + 1] + pixels[offset + 2] < 3 * 128) count += 1;
    }
  }
  return count;
}

/** Where the title is drawn: 16 px from the left, 12 px from the top, 18 px bold. */
const titleArea = { left: 16, top: 10, right: 400, bottom: 40 };

describe('renderChartPng', () => {
  const svg = renderChartSvg(funnelChartOptions(funnelFixture()), chartSizes.slide);

  it('writes a PNG of the requested width, its height following the chart', () => {
    const png = renderChartPng(svg, { width: chartSizes.slide.width });
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(pngSize(png)).toEqual(chartSizes.slide);
    expect(pngSize(renderChartPng(svg, { width: 640 }))).toEqual({ width: 640, height: 360 });
    const a4 = renderChartSvg(funnelChartOptions(funnelFixture()), chartSizes.a4);
    expect(pngSize(renderChartPng(a4, { width: chartSizes.a4.width }))).toEqual(chartSizes.a4);
  });

  it('loads its fonts from the installed package, never from the machine', () => {
    const files = pngFontFiles();
    expect(files).toHaveLength(4);
    for (const file of files) expect(file).toMatch(/node_modules\/@expo-google-fonts\/arimo\/.+\.ttf$/);
    expect(pngRenderOptions({ width: 100 }).font?.loadSystemFonts).toBe(false);
  });

  it('draws the title text with the bundled font, which resvg leaves blank without one', () => {
    const withFonts = renderChartPixels(svg, { width: chartSizes.slide.width });
    expect(darkPixels(withFonts.pixels, withFonts.width, titleArea)).toBeGreaterThan(500);

    // The control: the same page with no font at all has an empty title area, so the count above
    // is the title's glyphs and this test fails on a machine where the bundled font went missing.
    const noFonts = renderChartPixels(svg, { width: chartSizes.slide.width, fontFiles: [] });
    expect(darkPixels(noFonts.pixels, noFonts.width, titleArea)).toBe(0);
  });

  it('paints the page white, not transparent', () => {
    const image = renderChartPixels(svg, { width: 100 });
    expect([...image.pixels.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
  });

  it('rasterises the same pixels off the main thread', async () => {
    const pixels = await renderChartPixelsAsync(svg, { width: 640 });
    expect(pixels.pixels.equals(renderChartPixels(svg, { width: 640 }).pixels)).toBe(true);
  });
});

/** Pixels in a rectangle of an RGBA image within a few levels of a colour. */
function pixelsOfColour(image: { pixels: Buffer; width: number }, hex: string, area: { left: number; top: number; right: number; bottom: number }): number {
  const [r, g, b] = [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16));
  let count = 0;
  for (let y = area.top; y < area.bottom; y += 1) {
    for (let x = area.left; x < area.right; x += 1) {
      const offset = (y * image.width + x) * 4;
      if (Math.abs(image.pixels[offset] - r) + Math.abs(image.pixels[offset + 1] - g) + Math.abs(image.pixels[offset + 2] - b) < 12) count += 1;
    }
  }
  return count;
}

describe('SPC export with Making Data Count icons', () => {
  // The icons sit in the top right corner, 16 px in and 12 px down, 36 px across.
  const corner = { left: chartSizes.slide.width - 120, top: 8, right: chartSizes.slide.width - 8, bottom: 52 };
  const data = { ...spcFixture(), variation: 'special_cause_concern_high' as const, assurance: 'consistent_pass' as const };

  it('draws the variation ring in the concern colour and the assurance disc in the improvement colour', () => {
    const image = renderChartPixels(renderChartSvg(withMdcIcons(spcChartOptions(data), data), chartSizes.slide), { width: chartSizes.slide.width });
    expect(pixelsOfColour(image, mdcIconColours.concern, corner)).toBeGreaterThan(150);
    expect(pixelsOfColour(image, mdcIconColours.improvement, corner)).toBeGreaterThan(600);
  });

  it('leaves the corner blank without them', () => {
    const image = renderChartPixels(renderChartSvg(spcChartOptions(data), chartSizes.slide), { width: chartSizes.slide.width });
    expect(pixelsOfColour(image, mdcIconColours.concern, corner) + pixelsOfColour(image, mdcIconColours.improvement, corner)).toBe(0);
  });
});
