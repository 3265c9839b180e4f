/** One part of a multipart/form-data body: its field name, the file name a file input gives, and its bytes as they arrive. */
export interface MultipartPart {
  name: string;
  fileName?: string;
}

export interface MultipartHandlers {
  /** Called as each part begins; returns where its bytes go (awaited, so a slow disk holds the reader). */
  part(part: MultipartPart): (bytes: Uint8Array) => Promise<void> | void;
}

export class MultipartError extends Error {
  override name = 'MultipartError';
}

const crlf = Buffer.from('\r\n');
const headerEnd = Buffer.from('\r\n\r\n');
const maxHeaderBytes = 16 * 1024;

/** The boundary of a multipart/form-data content type, or undefined for any other type. */
export function multipartBoundary(contentType: string | undefined): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType);
  return match?.[1] ?? match?.[2];
}

function partOf(headers: string): MultipartPart {
  const disposition = headers.split('\r\n').find((line) => /^content-disposition\s*:/i.test(line));
  const name = disposition && /;\s*name="([^"]*)"/i.exec(disposition)?.[1];
  if (name === undefined || name === null) throw new MultipartError('a part of the form has no name');
  const fileName = disposition && /;\s*filename="([^"]*)"/i.exec(disposition)?.[1];
  return { name, fileName: fileName ?? undefined };
}

/**
 * Reads a multipart/form-data body as it streams (RFC 7578), never holding more than a chunk and a
 * boundary's length of it, so a large file goes to disk without filling memory. Each part's bytes go to the
 * sink handlers.part chooses.
 */
export async function readMultipart(body: AsyncIterable<Uint8Array>, boundary: string, handlers: MultipartHandlers): Promise<void> {
  // With a line break in front of the body every boundary, the first included, is CRLF "--" boundary.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  let buffer: Buffer = Buffer.from(crlf);
  type State = 'preamble' | 'after-delimiter' | 'headers' | 'body' | 'done';
  // Widened, as step() moves it on where the compiler's narrowing cannot see.
  let state = 'preamble' as State;
  let sink: ((bytes: Uint8Array) => Promise<void> | void) | undefined;

  const step = async (final: boolean): Promise<boolean> => {
    switch (state) {
      case 'preamble': {
        const at = buffer.indexOf(delimiter);
        if (at === -1) {
          buffer = buffer.subarray(Math.max(0, buffer.length - delimiter.length));
          return false;
        }
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'after-delimiter': {
        if (buffer.length < 2) return false;
        if (buffer[0] === 0x2d && buffer[1] === 0x2d) {
          state = 'done';
          return false;
        }
        const lineEnd = buffer.indexOf(crlf);
        if (lineEnd === -1) return false;
        buffer = buffer.subarray(lineEnd + 2);
        state = 'headers';
        return true;
      }
      case 'headers': {
        const at = buffer.indexOf(headerEnd);
        if (at === -1) {
          if (buffer.length > maxHeaderBytes) throw new MultipartError('a part of the form has headers too long to read');
          return false;
        }
        sink = handlers.part(partOf(buffer.subarray(0, at).toString('utf8')));
        buffer = buffer.subarray(at + headerEnd.length);
        state = 'body';
        return true;
      }
      case 'body': {
        const at = buffer.indexOf(delimiter);
        if (at === -1) {
          // Keep back what could be the start of a delimiter split across chunks.
          const safe = buffer.length - (delimiter.length - 1);
          if (safe > 0) {
            await sink!(buffer.subarray(0, safe));
            buffer = buffer.subarray(safe);
          }
          if (final) throw new MultipartError('the form ends in the middle of a part');
          return false;
        }
        if (at > 0) await sink!(buffer.subarray(0, at));
        buffer = buffer.subarray(at + delimiter.length);
        state = 'after-delimiter';
        return true;
      }
      case 'done':
        return false;
    }
  };

  for await (const chunk of body) {
    if (state === 'done') continue;
    buffer = buffer.length === 0 ? Buffer.from(chunk) : Buffer.concat([buffer, chunk]);
    while (await step(false));
  }
  while (await step(true));
  if (state !== 'done') throw new MultipartError('the form is incomplete: its closing boundary is missing');
}
