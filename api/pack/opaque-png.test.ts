import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { opaquePng } from './opaque-png';

describe('opaquePng', () => {
  // 2 × 2 pixels, RGBA: red, green / blue, white.
  const pixels = Buffer.from([255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255]);

  it('writes an RGB PNG header: the size, 8 bits, colour type 2', async () => {
    const png = await opaquePng({ width: 2, height: 2, pixels });
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20), png[24], png[25]]).toEqual([2, 2, 8, 2]);
    expect(png.subarray(-8, -4).toString('ascii')).toBe('IEND');
  });

  it('keeps each pixel’s colour and drops its alpha, every row unfiltered', async () => {
    const png = await opaquePng({ width: 2, height: 2, pixels });
    const idat = png.indexOf('IDAT', 0, 'ascii');
    const length = png.readUInt32BE(idat - 4);
    expect([...inflateSync(png.subarray(idat + 4, idat + 4 + length))]).toEqual([0, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 255, 255, 255]);
  });
});
