import { describe, expect, it } from 'vitest';
import { multipartBoundary, readMultipart, MultipartError } from './multipart';

/** A form as a browser would send it, encoded by the platform's own FormData. */
async function encoded(form: FormData) {
  const request = new Request('http://localhost/', { method: 'POST', body: form });
  return { bytes: new Uint8Array(await request.arrayBuffer()), boundary: multipartBoundary(request.headers.get('content-type') ?? undefined)! };
}

async function* chunks(bytes: Uint8Array, size: number) {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

async function parse(bytes: Uint8Array, boundary: string, size: number) {
  const parts: { name: string; fileName?: string; text: string }[] = [];
  await readMultipart(chunks(bytes, size), boundary, {
    part(part) {
      const entry = { ...part, text: '' };
      parts.push(entry);
      return (piece) => {
        entry.text += Buffer.from(piece).toString('latin1');
      };
    },
  });
  return parts;
}

describe('readMultipart', () => {
  it('reads the same fields and file however the body is split into chunks, a boundary split across two included', async () => {
    // The file holds text that looks like a boundary without being one, and CR/LF at its edges.
    const file = '\r\nindicator_code,organisation_code\r\n--not-the-boundary\r\nREADMIT,RZA\r\n';
    const form = new FormData();
    form.set('format', 'generic');
    form.set('file', new Blob([file]), 'observations.csv');
    form.set('period', '');
    const { bytes, boundary } = await encoded(form);
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      expect(await parse(bytes, boundary, size)).toEqual([
        { name: 'format', text: 'generic' },
        { name: 'file', fileName: 'observations.csv', text: file },
        { name: 'period', text: '' },
      ]);
    }
  });

  it('refuses a body cut off before its closing boundary', async () => {
    const form = new FormData();
    form.set('file', new Blob(['a,b\n1,2\n']), 'cut.csv');
    const { bytes, boundary } = await encoded(form);
    await expect(parse(bytes.subarray(0, bytes.length - 10), boundary, 16)).rejects.toBeInstanceOf(MultipartError);
  });

  it('finds the boundary only in a multipart/form-data content type', () => {
    expect(multipartBoundary('multipart/form-data; boundary=----abc')).toBe('----abc');
    expect(multipartBoundary('multipart/form-data; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('text/csv')).toBeUndefined();
    expect(multipartBoundary(undefined)).toBeUndefined();
  });
});
