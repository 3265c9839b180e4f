import { promisify } from 'node:util';
import { crc32, deflate } from 'node:zlib';
import type { ChartPixels } from '../charts/render-png';

const deflateAsync = promisify(deflate);
const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, body: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), body]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

/**
 * A chart's pixels as an 8-bit RGB PNG, its alpha dropped (charts are drawn on white, so every pixel is opaque).
 * resvg writes RGBA, which pdfkit must split into an image and a soft mask pixel by pixel in JavaScript, about
 * 0.1 s a chart; an RGB PNG goes into the PDF as it is, and the deck takes it alike. Rows are left unfiltered
 * (filter 0) and deflated on the thread pool.
 */
export async function opaquePng({ width, height, pixels }: ChartPixels): Promise<Buffer> {
  const stride = width * 3 + 1;
  const rows = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    let out = y * stride + 1;
    for (let from = y * width * 4, end = from + width * 4; from < end; from += 4) {
      rows[out++] = pixels[from];
      rows[out++] = pixels[from + 1];
      rows[out++] = pixels[from + 2];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  // Bit depth 8, colour type 2 (RGB), deflate, no filter method beyond the standard, no interlace.
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', await deflateAsync(rows)), chunk('IEND', Buffer.alloc(0))]);
}
