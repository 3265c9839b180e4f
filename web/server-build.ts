import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serverSources } from './build-stamp';
import { newestModification } from './dashboard-build';

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const serverBuildFolder = join(projectRoot, 'dist');

/**
 * The programs `npm run serve`, `npm run worker`, `npm run etl` and `npm run pack` run in production, each one
 * JavaScript file in dist/, and the render pool's worker threads (api/workers/render-pool.ts looks for
 * render-tasks.js beside the file it was bundled into).
 */
export const serverEntries = {
  serve: 'web/serve.ts',
  worker: 'web/worker.ts',
  preflight: 'web/preflight.ts',
  etl: 'etl/cli.ts',
  pack: 'api/pack/cli.ts',
  'render-tasks': 'api/workers/render-tasks.ts',
} as const;

/** What the server is compiled from (the stamp's list, one for both), and how it is compiled. */
const buildSources = [...serverSources, 'web/server-build.ts'];

/** True when every program in dist/ is newer than everything it is compiled from. */
export function serverBuildCurrent(): boolean {
  const outputs = Object.keys(serverEntries).map((name) => join(serverBuildFolder, `${name}.js`));
  if (!outputs.every((output) => existsSync(output))) return false;
  const built = Math.min(...outputs.map((output) => statSync(output).mtimeMs));
  return buildSources.every((source) => newestModification(join(projectRoot, source)) < built);
}

/**
 * `import.meta.url` keeps meaning the source file's location inside a bundle, so what the code finds beside its
 * sources (db/migrations, etl/catalogue, examples, web/build) is found from dist/ too: each occurrence becomes
 * the source's URL relative to the bundle. `import.meta.filename` is left alone and names the bundle.
 */
const sourceLocations: Plugin = {
  name: 'source-locations',
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => {
      if (args.path.includes(`${join('node_modules', '')}`)) return undefined;
      const source = readFileSync(args.path, 'utf8');
      if (!source.includes('import.meta.url')) return { contents: source, loader: 'ts' };
      const fromBundle = relative(serverBuildFolder, args.path).split('\\').join('/');
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(fromBundle)}, import.meta.url).href`), loader: 'ts' };
    });
  },
};

/**
 * Compiles the programs into dist/ with esbuild: ES modules for Node 20, one self-contained file each (no shared
 * chunks, so a bundle's own location is where its code runs), dependencies left to node_modules.
 */
export async function compileServer(): Promise<void> {
  await build({
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(Object.entries(serverEntries).map(([name, source]) => [name, join(projectRoot, source)])),
    outdir: serverBuildFolder,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20.19',
    packages: 'external',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [sourceLocations],
  });
}

/**
 * Compiles the server unless dist/ is already current, so `npm start` on an unchanged checkout does not
 * compile again. Concurrent callers wait on a lock directory rather than writing dist/ at the same time.
 * Resolves with whether it compiled.
 */
export async function ensureServerCompiled(): Promise<boolean> {
  mkdirSync(serverBuildFolder, { recursive: true });
  const lock = join(serverBuildFolder, '.build-lock');
  for (;;) {
    if (serverBuildCurrent()) return false;
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock left by a killed run is older than any compilation takes.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 5 * 60_000) rmSync(lock, { recursive: true, force: true });
      await new Promise((done) => setTimeout(done, 200));
    }
  }
  try {
    if (serverBuildCurrent()) return false;
    await compileServer();
    return true;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
