import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * What dist/ was compiled from, so that `npm run serve` (which runs dist/ only) can say when the sources have
 * changed since: a digest of the server's TypeScript (tests aside) and the dependencies' versions, written to
 * dist/build-stamp.json by `npm run build:server` and `npm start`. No esbuild here: dist/serve.js imports this.
 */
export const serverSources = ['api', 'db', 'etl', 'web/serve.ts', 'web/server.ts', 'web/worker.ts', 'web/port.ts', 'web/preflight.ts', 'web/preflight-checks.ts', 'web/build-stamp.ts', 'package-lock.json'];
const stampName = 'build-stamp.json';
export const rebuildCommand = 'npm run build:server';

const isSource = (name: string) => (name.endsWith('.ts') && !name.endsWith('.test.ts')) || name === 'package-lock.json';

/** The source files under root, sorted, as paths relative to it. */
function sourceFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (path: string) => {
    if (!existsSync(path)) return;
    const stat = statSync(path);
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules') walk(join(path, name));
    } else if (isSource(path.split(/[\\/]/).pop()!)) found.push(relative(root, path).split('\\').join('/'));
  };
  for (const source of serverSources) walk(join(root, source));
  return found.sort();
}

/** SHA-256 over every source's path and bytes; undefined where there are no sources (a production host with dist/ alone). */
export function sourceDigest(root: string): string | undefined {
  if (!existsSync(join(root, 'web', 'serve.ts'))) return undefined;
  const hash = createHash('sha256');
  for (const path of sourceFiles(root)) hash.update(`${path}\0`).update(readFileSync(join(root, path))).update('\0');
  return hash.digest('hex');
}

/** Records what dist/ was just compiled from. */
export function writeBuildStamp(root: string, dist: string): void {
  const sources = sourceDigest(root);
  if (sources) writeFileSync(join(dist, stampName), `${JSON.stringify({ sources, builtAt: new Date().toISOString() })}\n`);
}

/**
 * One line for stderr when dist/ is older than the sources beside it, naming the command that rebuilds it;
 * undefined when it is current, or when there are no sources to compare (production). A dist/ without a stamp
 * (compiled some other way) is compared by time: any source modified after its bundle.
 */
export function staleBuildWarning(root: string, dist: string, bundle = join(dist, 'serve.js')): string | undefined {
  if (!existsSync(join(root, 'web', 'serve.ts'))) return undefined;
  const warning = `Warning: dist/ was compiled from older sources than those in ${root} (they changed since its build); this serves the old build. Run ${rebuildCommand} (or npm start) to rebuild.`;
  const stampPath = join(dist, stampName);
  const reference = existsSync(stampPath) ? stampPath : bundle;
  if (!existsSync(reference)) return undefined;
  const stamped = statSync(reference).mtimeMs;
  // Nothing modified since the stamp: current, without reading a byte (a stamp's own millisecond counts as since).
  const modified = sourceFiles(root).some((path) => {
    const time = statSync(join(root, path)).mtimeMs;
    return reference === bundle ? time > stamped : time >= stamped;
  });
  if (!modified || reference === bundle) return modified ? warning : undefined;
  // Modified since, but perhaps to the same bytes (a checkout, an editor's save): the digest decides.
  const stamp = JSON.parse(readFileSync(stampPath, 'utf8')) as { sources?: string };
  return stamp.sources === sourceDigest(root) ? undefined : warning;
}
