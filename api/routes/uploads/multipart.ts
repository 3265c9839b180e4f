import type { Writable } from 'node:stream';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import { ApiError } from '../../errors';

/** The dashboard's form: one `file` part and at most these fields beside it. */
const formFields = new Set(['format', 'indicator', 'period']);
const maxFieldBytes = 200;
const maxFileNameLength = 255;
/** busboy keeps a part's first headerSize bytes and drops the rest: a name cut there is refused as too long. */
const maxHeaderBytes = 16 * 1024;

export interface UploadForm {
  /** The file name the form gave, unchecked (the caller makes it safe before using it). */
  fileName: string;
  byteSize: number;
  fields: Record<string, string>;
}

const formError = (message: string, parameter?: string) => new ApiError(400, 'invalid_form', `The form could not be read: ${message}`, parameter);
export const tooLarge = (maxBytes: number) => new ApiError(413, 'payload_too_large', `Uploads are limited to ${maxBytes} bytes`);
/** The body stopped before its end: the client went away or its connection broke. */
export const interrupted = () => new ApiError(400, 'upload_interrupted', 'The upload was cut off before its end; send the file again');

/**
 * Reads a multipart/form-data body with @fastify/busboy as it streams: the one `file` part goes to the sink
 * `openFile` gives (on disk, never held in memory), the few known fields are kept. Extra files, unknown or
 * repeated fields, over-long values, names or headers, a file over maxFileBytes, a missing boundary and a body
 * cut off before its closing boundary are refused with an ApiError; it settles only once the sink is closed, so
 * the caller can remove what was written.
 */
export function readUploadForm(
  body: AsyncIterable<Uint8Array>,
  contentType: string,
  options: { maxFileBytes: number; openFile(fileName: string): Writable },
): Promise<UploadForm> {
  let form: BusboyInstance;
  try {
    form = Busboy({
      headers: { 'content-type': contentType },
      limits: { files: 1, fields: formFields.size, parts: formFields.size + 1, fieldSize: maxFieldBytes, fileSize: options.maxFileBytes, headerSize: maxHeaderBytes, headerPairs: 8 },
    });
  } catch {
    return Promise.reject(formError('its content type gives no boundary'));
  }
  const source = Readable.from(body);
  const fields: Record<string, string> = {};
  let file: Promise<{ fileName: string; byteSize: number }> | undefined;
  let current: Readable | undefined;
  let failure: unknown;
  let settled = false;

  return new Promise<UploadForm>((resolve, reject) => {
    const settle = async () => {
      if (settled) return;
      settled = true;
      const written = await file?.catch((fileError: unknown) => void (failure ??= fileError));
      if (failure !== undefined) reject(failure);
      else if (written === undefined) reject(new ApiError(400, 'invalid_parameter', 'file: choose a file to upload', 'file'));
      else resolve({ ...written, fields });
    };
    // The first refusal wins: reading stops and the file's sink is destroyed before the promise settles.
    const fail = (error: unknown) => {
      if (failure !== undefined) return;
      failure = error;
      source.destroy();
      current?.destroy(error instanceof Error ? error : undefined);
      form.destroy();
      void settle();
    };

    form.on('file', (name, stream, givenName: string | undefined) => {
      const fileName = givenName ?? '';
      if (name !== 'file') fail(formError(`a file came in the field "${name.slice(0, 50)}"; send it as "file"`, 'file'));
      else if (fileName.length > maxFileNameLength) fail(formError('the file name (or its part’s headers) is too long', 'file'));
      if (failure !== undefined) return void stream.resume();
      current = stream;
      file = pipeline(stream, options.openFile(fileName)).then(() => {
        if (stream.truncated) throw tooLarge(options.maxFileBytes);
        return { fileName, byteSize: stream.bytesRead };
      });
      stream.on('limit', () => fail(tooLarge(options.maxFileBytes)));
      file.catch(fail);
    });
    form.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (!formFields.has(name) || nameTruncated) fail(formError(`the form has a field "${name.slice(0, 50)}" this upload does not take`, name.slice(0, 50)));
      else if (name in fields) fail(formError(`the field "${name}" is sent twice`, name));
      else if (valueTruncated) fail(new ApiError(400, 'invalid_parameter', `${name}: too long`, name));
      else if (/[\u0000-\u001f\u007f]/.test(value)) fail(new ApiError(400, 'invalid_parameter', `${name}: must not contain control characters`, name));
      else fields[name] = value;
    });
    form.on('filesLimit', () => fail(new ApiError(400, 'invalid_parameter', 'file: send one file at a time', 'file')));
    form.on('fieldsLimit', () => fail(formError('it has more fields than this upload takes')));
    form.on('partsLimit', () => fail(formError('it has more parts than this upload takes')));
    form.on('error', (error: Error) => fail(formError(/unexpected end/i.test(error.message) ? 'it ends before its closing boundary (was the upload cut off?)' : 'it is not a well-formed multipart form')));
    form.on('finish', () => void settle());
    source.on('error', (error) => fail(error instanceof ApiError ? error : interrupted()));
    source.pipe(form);
  });
}
