import { randomBytes } from 'node:crypto';
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../errors';
import { MultipartError, multipartBoundary, readMultipart } from './multipart';

/** A file received and written to its own folder in the staging directory, with the form's other fields. */
export interface StagedFile {
  id: string;
  folder: string;
  path: string;
  fileName: string;
  byteSize: number;
  fields: Record<string, string>;
}

const maxFieldBytes = 200;

/** The file name as given, reduced to a safe last path segment: it names the staged file and the ETL's problems. */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[^\w.\- ()]/g, '_').trim().slice(-120);
  return cleaned === '' || cleaned.startsWith('.') ? `upload${cleaned}` : cleaned;
}

/** The body's bytes, refused with a 413 once they pass the cap, whatever the Content-Length claimed. */
async function* capped(body: ReadableStream<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let total = 0;
  const reader = body.getReader();
  try {
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      total += read.value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      yield read.value;
    }
  } finally {
    // A refused body is not read on: the client is told at once.
    await reader.cancel().catch(() => undefined);
  }
}

const tooLarge = (maxBytes: number) => new ApiError(413, 'payload_too_large', `Uploads are limited to ${maxBytes} bytes`);

/**
 * Streams an upload to `<dir>/<id>/<file name>`: either the raw body (its name in rawName) or a
 * multipart/form-data form with one file field named "file" (the dashboard's form). Nothing is held in memory
 * beyond a chunk; on any failure the folder is removed.
 */
export async function stageUpload(request: Request, options: { dir: string; maxBytes: number; rawName?: string }): Promise<StagedFile> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > options.maxBytes) throw tooLarge(options.maxBytes);
  if (request.body === null) throw new ApiError(400, 'invalid_parameter', 'file: the request has no file in it', 'file');
  const id = randomBytes(16).toString('base64url');
  const folder = join(options.dir, id);
  await mkdir(folder, { recursive: true });
  const body = capped(request.body, options.maxBytes);
  try {
    const boundary = multipartBoundary(request.headers.get('content-type') ?? undefined);
    if (boundary === undefined) {
      if (!options.rawName) throw new ApiError(400, 'invalid_parameter', 'name: give the file name (the name query parameter or X-File-Name header), or send a multipart form', 'name');
      const fileName = safeFileName(options.rawName);
      const file = await open(join(folder, fileName), 'wx');
      let byteSize = 0;
      try {
        for await (const chunk of body) byteSize += (await file.write(chunk)).bytesWritten;
      } finally {
        await file.close();
      }
      return { id, folder, path: join(folder, fileName), fileName, byteSize, fields: {} };
    }
    return await stageForm(body, boundary, id, folder);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    if (error instanceof MultipartError) throw new ApiError(400, 'invalid_form', `The form could not be read: ${error.message}`);
    throw error;
  }
}

async function stageForm(body: AsyncIterable<Uint8Array>, boundary: string, id: string, folder: string): Promise<StagedFile> {
  const fields: Record<string, string> = {};
  const files: { fileName: string; path: string; byteSize: number; close: () => Promise<void> }[] = [];
  try {
    await readMultipart(body, boundary, {
      part({ name, fileName }) {
        if (name === 'file' && fileName !== undefined) {
          if (files.length > 0) throw new ApiError(400, 'invalid_parameter', 'file: send one file at a time', 'file');
          const path = join(folder, safeFileName(fileName));
          const opening = open(path, 'wx');
          const staged = { fileName: safeFileName(fileName), path, byteSize: 0, close: async () => (await opening).close() };
          files.push(staged);
          return async (bytes) => {
            staged.byteSize += (await (await opening).write(bytes)).bytesWritten;
          };
        }
        fields[name] = '';
        return (bytes) => {
          fields[name] += Buffer.from(bytes).toString('utf8');
          if (fields[name].length > maxFieldBytes) throw new ApiError(400, 'invalid_parameter', `${name}: too long`, name);
        };
      },
    });
  } finally {
    await Promise.all(files.map((file) => file.close()));
  }
  const [file] = files;
  if (!file || (file.byteSize === 0 && file.fileName === 'upload')) throw new ApiError(400, 'invalid_parameter', 'file: choose a file to upload', 'file');
  return { id, folder, path: file.path, fileName: file.fileName, byteSize: file.byteSize, fields };
}
