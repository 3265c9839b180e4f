import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { chmod, lstat, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import lockfile from 'proper-lockfile';
import { ApiError } from '../../errors';
import { interrupted, readUploadForm, tooLarge } from './multipart';

/** A file received and written to its own folder in this instance's staging folder, with the form's fields. */
export interface StagedFile {
  id: string;
  folder: string;
  path: string;
  fileName: string;
  byteSize: number;
  fields: Record<string, string>;
}

/** This process's staging folder under the configured root, locked while the process lives. */
export interface StagingArea {
  root: string;
  folder: string;
}

const instancePrefix = 'instance-';
/** A live process refreshes its lock every update ms; one unrefreshed for stale ms belonged to a dead process. */
const lockOptions = { stale: 60_000, update: 10_000, realpath: false };
/** A form's boundaries and headers around its file, allowed beyond the file's own cap. */
const formOverheadBytes = 64 * 1024;

/** The file name as given, reduced to a safe last path segment: it names the staged file and the ETL's problems. */
export function safeFileName(name: string): string {
  const last = name.split(/[\\/]/).pop() ?? '';
  const cleaned = last.replace(/[^\w.\- ()]/g, '_').trim().slice(-120);
  return cleaned === '' || cleaned.startsWith('.') ? `upload${cleaned}` : cleaned;
}

/** The root, made if missing, as a folder of this user's alone (0700): never a link, nor another user's. */
async function ownedRoot(root: string): Promise<void> {
  await mkdir(root, { recursive: true, mode: 0o700 });
  const stat = await lstat(root);
  if (!stat.isDirectory()) throw new Error(`The upload folder ${root} is not a folder`);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) throw new Error(`The upload folder ${root} belongs to another user; configure another uploadDir`);
  if ((stat.mode & 0o077) !== 0) await chmod(root, 0o700);
}

/**
 * A new staging folder for one process under root (`instance-<random>`, 0700). Its lock
 * (`<folder>.lock`, proper-lockfile) is taken before the folder exists, so another instance's sweep never
 * takes it for a dead one's; the lock goes when the process exits or stops refreshing it.
 */
export async function openStagingArea(root: string): Promise<StagingArea> {
  await ownedRoot(root);
  const folder = join(root, `${instancePrefix}${randomBytes(12).toString('base64url')}`);
  await lockfile.lock(folder, { ...lockOptions, onCompromised: (error) => console.error(`upload staging folder ${folder}: ${error.message}`) });
  await mkdir(folder, { mode: 0o700 });
  return { root, folder };
}

const areas = new Map<string, Promise<StagingArea>>();

/** This process's staging area under root, opened at its first use (a failure is retried at the next). */
export function stagingArea(root: string): Promise<StagingArea> {
  const key = resolve(root);
  let area = areas.get(key);
  if (!area) {
    area = openStagingArea(key);
    areas.set(key, area);
    area.catch(() => areas.delete(key));
  }
  return area;
}

/** The staging folder of the instance that staged a file: `<instance>/<upload id>/<file name>`. */
export const instanceOf = (storedPath: string) => dirname(dirname(storedPath));

/** Whether an instance folder belongs to a live process: this one, or one still refreshing its lock. */
export async function isLiveInstance(area: StagingArea, folder: string): Promise<boolean> {
  return folder === area.folder || lockfile.check(folder, lockOptions);
}

/**
 * Removes the staging folders (and stale locks) of dead processes under the root: whatever a dead process
 * staged has no live upload left (recoverUploads ends those first). Returns how many folders went.
 */
export async function removeDeadInstances(area: StagingArea): Promise<number> {
  let removed = 0;
  for (const name of await readdir(area.root)) {
    if (!name.startsWith(instancePrefix)) continue;
    const folder = join(area.root, name.replace(/\.lock$/, ''));
    if (await isLiveInstance(area, folder)) continue;
    if (!name.endsWith('.lock')) removed++;
    await rm(join(area.root, name), { recursive: true, force: true });
  }
  return removed;
}

/** The body's bytes, refused with a 413 once they pass the cap whatever the Content-Length claimed; a broken body is an interrupted upload. */
async function* capped(body: ReadableStream<Uint8Array>, maxBytes: number): AsyncIterable<Uint8Array> {
  let total = 0;
  const reader = body.getReader();
  try {
    for (;;) {
      const read = await reader.read().catch(() => {
        throw interrupted();
      });
      if (read.done) return;
      total += read.value.byteLength;
      if (total > maxBytes) throw tooLarge(maxBytes);
      yield read.value;
    }
  } finally {
    // A refused body is not read on: the client is told at once.
    await reader.cancel().catch(() => undefined);
  }
}

const newFile = (path: string) => createWriteStream(path, { flags: 'wx', mode: 0o600 });

/**
 * Streams an upload to `<dir>/<id>/<file name>` (folder 0700, file 0600): either the raw body (its name in
 * rawName) or a multipart/form-data form with one file field named "file" (the dashboard's form), read by
 * readUploadForm. Nothing is held in memory beyond a chunk; on any failure (a refusal, a broken form, the
 * client going away) the folder is removed before the error is thrown.
 */
export async function stageUpload(request: Request, options: { dir: string; maxBytes: number; rawName?: string }): Promise<StagedFile> {
  const contentType = request.headers.get('content-type') ?? '';
  const isForm = /^multipart\/form-data\b/i.test(contentType);
  const maxBodyBytes = options.maxBytes + (isForm ? formOverheadBytes : 0);
  if (Number(request.headers.get('content-length') ?? '0') > maxBodyBytes) throw tooLarge(options.maxBytes);
  if (request.body === null) throw new ApiError(400, 'invalid_parameter', 'file: the request has no file in it', 'file');
  if (!isForm && !options.rawName) throw new ApiError(400, 'invalid_parameter', 'name: give the file name (the name query parameter or X-File-Name header), or send a multipart form', 'name');
  const id = randomBytes(16).toString('base64url');
  const folder = join(options.dir, id);
  await mkdir(folder, { mode: 0o700 });
  const body = capped(request.body, maxBodyBytes);
  try {
    if (!isForm) {
      const fileName = safeFileName(options.rawName!);
      const sink = newFile(join(folder, fileName));
      await pipeline(Readable.from(body), sink);
      return { id, folder, path: join(folder, fileName), fileName, byteSize: sink.bytesWritten, fields: {} };
    }
    let fileName = '';
    const form = await readUploadForm(body, contentType, {
      maxFileBytes: options.maxBytes,
      openFile(name) {
        fileName = safeFileName(name);
        return newFile(join(folder, fileName));
      },
    });
    // A browser sends an empty part with an empty name when no file was chosen.
    if (form.fileName === '' && form.byteSize === 0) throw new ApiError(400, 'invalid_parameter', 'file: choose a file to upload', 'file');
    return { id, folder, path: join(folder, fileName), fileName, byteSize: form.byteSize, fields: form.fields };
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

/** SHA-256 of a staged file, as the loader computes a file's checksum: the upload's identity until its preview confirms it. */
export async function stagedChecksum(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
