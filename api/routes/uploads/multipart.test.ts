import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../errors';
import { stageUpload } from './staging';

/**
 * The upload's body as hostile clients send it, through @fastify/busboy and the staging folder: without these
 * tests a form could smuggle a second file or unknown fields past the route, a cut-off or oversized body could
 * leave a half-written file behind, and a staged file could be readable by other users on the host.
 */
const dir = mkdtempSync(join(tmpdir(), 'variation-atlas-staging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const boundary = '----va-test-boundary';
const contentType = `multipart/form-data; boundary=${boundary}`;
const part = (disposition: string, content: string | Uint8Array) => [`--${boundary}\r\nContent-Disposition: form-data; ${disposition}\r\n\r\n`, content, '\r\n'];
const form = (...parts: (string | Uint8Array)[][]) => [...parts.flat(), `--${boundary}--\r\n`];

/** A body sent in chunks of the given size, optionally failing (the client going away) after some bytes. */
function body(pieces: (string | Uint8Array)[], size = 64 * 1024, failAfter = Infinity) {
  const bytes = Buffer.concat(pieces.map((piece) => (typeof piece === 'string' ? Buffer.from(piece) : piece)));
  let at = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= failAfter) return controller.error(new Error('socket hang up'));
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(at, Math.min(at + size, bytes.length, failAfter)));
      at += size;
    },
  });
}

const request = (stream: ReadableStream<Uint8Array>, type = contentType) =>
  new Request('http://localhost/api/uploads', { method: 'POST', headers: { 'content-type': type }, body: stream, duplex: 'half' } as RequestInit);

const stage = (stream: ReadableStream<Uint8Array>, options: { type?: string; maxBytes?: number; rawName?: string } = {}) =>
  stageUpload(request(stream, options.type), { dir, maxBytes: options.maxBytes ?? 1024 * 1024, rawName: options.rawName });

/** The refusal a staging attempt ends in, after checking it left nothing on disk. */
async function refusal(staging: Promise<unknown>) {
  const error = await staging.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ApiError);
  expect(readdirSync(dir)).toEqual([]);
  const { status, code, message, parameter } = error as ApiError;
  return { status, code, message, parameter };
}

describe('stageUpload', () => {
  it('stages the file and fields however the body is split, boundary-like text in the file and a boundary split across chunks included', async () => {
    // Text like the boundary that is no delimiter (mid-line, a prefix, another boundary) stays in the file, CR/LF at its edges too.
    const file = `\r\nindicator_code,organisation_code\r\nx--${boundary}\r\n--${boundary.slice(0, -1)}\r\n--not-the-boundary\r\nREADMIT,RZA\r\n`;
    for (const size of [1, 2, 3, 7, 64, 100_000]) {
      const staged = await stage(body(form(part('name="format"', 'generic'), part('name="file"; filename="observations.csv"', file), part('name="period"', '')), size));
      expect(staged).toMatchObject({ fileName: 'observations.csv', byteSize: Buffer.byteLength(file), fields: { format: 'generic', period: '' } });
      expect(readFileSync(staged.path, 'utf8')).toBe(file);
      // Only its owner may read the folder and the file.
      expect(statSync(staged.folder).mode & 0o777).toBe(0o700);
      expect(statSync(staged.path).mode & 0o777).toBe(0o600);
      rmSync(staged.folder, { recursive: true });
    }
  });

  it('ends the file at a delimiter in its data (RFC 2046: the sender must choose a boundary its data lacks) and takes nothing from the nameless rest', async () => {
    const staged = await stage(body(form(part('name="file"; filename="a.csv"', `a,b\r\n1,2\r\n--${boundary}\r\nformat: shmi\r\n\r\n3,4`))));
    expect([readFileSync(staged.path, 'utf8'), staged.fields]).toEqual(['a,b\r\n1,2', {}]);
    rmSync(staged.folder, { recursive: true });
  });

  it('stages a raw body under the name given, 0600, and a form with a path or odd characters in its file name under its last segment', async () => {
    const raw = await stage(body(['a,b\n1,2\n']), { type: 'text/csv', rawName: 'raw.csv' });
    expect([raw.fileName, raw.byteSize, statSync(raw.path).mode & 0o777]).toEqual(['raw.csv', 8, 0o600]);
    const odd = await stage(body(form(part('name="file"; filename="..\\\\..\\\\etc\\\\pass\u0000wd<x>.csv"', 'a\n'))));
    expect(odd.fileName).toBe('pass_wd_x_.csv');
    rmSync(raw.folder, { recursive: true });
    rmSync(odd.folder, { recursive: true });
  });

  it('refuses a multipart type without a boundary, and a body cut off before its closing boundary', async () => {
    expect(await refusal(stage(body(form(part('name="file"; filename="a.csv"', 'a\n'))), { type: 'multipart/form-data' }))).toMatchObject({ status: 400, code: 'invalid_form' });
    const whole = form(part('name="file"; filename="cut.csv"', 'a,b\n1,2\n'));
    const cut = Buffer.concat(whole.map((piece) => Buffer.from(piece))).subarray(0, -10);
    expect(await refusal(stage(body([cut], 16)))).toMatchObject({ status: 400, code: 'invalid_form', message: expect.stringContaining('closing boundary') });
  });

  it('refuses a second file, a file under another field, unknown, repeated, long or control-character fields, and over-long headers', async () => {
    const file = part('name="file"; filename="a.csv"', 'a\n');
    expect(await refusal(stage(body(form(file, part('name="file"; filename="b.csv"', 'b\n')))))).toMatchObject({ status: 400, parameter: 'file', message: 'file: send one file at a time' });
    expect(await refusal(stage(body(form(part('name="other"; filename="a.csv"', 'a\n')))))).toMatchObject({ status: 400, code: 'invalid_form', parameter: 'file' });
    expect(await refusal(stage(body(form(file, part('name="admin"', 'yes')))))).toMatchObject({ status: 400, code: 'invalid_form', parameter: 'admin' });
    expect(await refusal(stage(body(form(part('name="format"', 'shmi'), part('name="format"', 'generic'), file))))).toMatchObject({ status: 400, parameter: 'format' });
    expect(await refusal(stage(body(form(part('name="period"', 'x'.repeat(201)), file))))).toMatchObject({ status: 400, code: 'invalid_parameter', parameter: 'period' });
    expect(await refusal(stage(body(form(part('name="period"', '2017\u0000/18'), file))))).toMatchObject({ status: 400, code: 'invalid_parameter', parameter: 'period' });
    // A name cut short by the 16 KiB header limit, and a header so long it pushes the part's name out of reach.
    expect(await refusal(stage(body(form(part(`name="file"; filename="${'a'.repeat(100_000)}.csv"`, 'a\n')))))).toMatchObject({ status: 400, code: 'invalid_form' });
    const junk = [`--${boundary}\r\nX-Junk: ${'j'.repeat(100_000)}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\na\n\r\n`];
    expect(await refusal(stage(body(form(junk))))).toMatchObject({ status: 400, parameter: 'file' });
    expect(await refusal(stage(body(form(part('name="format"', 'generic')))))).toMatchObject({ status: 400, message: 'file: choose a file to upload' });
  });

  it('takes a file of exactly the cap in a form, and refuses one byte more (413) without keeping any of it', async () => {
    const maxBytes = 100 * 1024 * 1024;
    const exact = await stage(body(form(part('name="file"; filename="big.csv"', new Uint8Array(maxBytes))), 1024 * 1024), { maxBytes });
    expect([exact.byteSize, statSync(exact.path).size]).toEqual([maxBytes, maxBytes]);
    rmSync(exact.folder, { recursive: true });
    expect(await refusal(stage(body(form(part('name="file"; filename="big.csv"', new Uint8Array(maxBytes + 1))), 1024 * 1024), { maxBytes }))).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(await refusal(stage(body([new Uint8Array(maxBytes + 1)], 1024 * 1024), { maxBytes, type: 'text/csv', rawName: 'big.csv' }))).toMatchObject({ status: 413 });
  }, 60_000);

  it('removes what it staged when the client goes away mid-stream, in a form or a raw body', async () => {
    const pieces = form(part('name="file"; filename="abort.csv"', 'x'.repeat(1024 * 1024)));
    expect(await refusal(stage(body(pieces, 64 * 1024, 512 * 1024)))).toMatchObject({ status: 400, code: 'upload_interrupted' });
    expect(await refusal(stage(body(pieces, 64 * 1024, 512 * 1024), { type: 'text/csv', rawName: 'abort.csv' }))).toMatchObject({ status: 400, code: 'upload_interrupted' });
  });
});
