import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The module boundaries of style.md, enforced by a plain import scan. Without it the statistics would
 * quietly grow I/O and the database layer would start reaching into the API.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(folder: string): string[] {
  const full = join(root, folder);
  return readdirSync(full).flatMap((name) => {
    const path = join(full, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(relative(root, path));
    return /\.(ts|svelte)$/.test(name) ? [relative(root, path)] : [];
  });
}

function importsOf(file: string): string[] {
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)];
  return specifiers.map((match) => {
    const specifier = match[1] ?? match[2];
    return specifier.startsWith('.') ? relative(root, resolve(dirname(join(root, file)), specifier)) : specifier;
  });
}

const rules: { module: string; files: () => string[]; allowed: (target: string, file: string) => boolean }[] = [
  {
    module: 'api/stats',
    files: () => sourceFiles('api/stats'),
    allowed: (target, file) =>
      target.startsWith('api/stats/') ||
      target === 'simple-statistics' ||
      // Tests may read the reference numbers committed under test/fixtures (R's output), and check properties against
      // plain definitions; the statistics never read files.
      (file.endsWith('.test.ts') && ['vitest', 'fast-check', 'node:fs', 'test/support/r-fixture'].includes(target)),
  },
  {
    module: 'api/charts',
    files: () => sourceFiles('api/charts'),
    allowed: (target, file) =>
      target.startsWith('api/charts/') ||
      target.startsWith('api/stats') ||
      target === 'simple-statistics' ||
      target === 'echarts' ||
      target.startsWith('echarts/') ||
      // The label-layout reader is the browser tests' too, so the server-rendered chart is measured the same way.
      (file.endsWith('.test.ts') && ['vitest', 'test/support/label-layout'].includes(target)) ||
      // Only the PNG renderer loads the native rasteriser and its bundled font files.
      (file === 'api/charts/render-png.ts' && ['@resvg/resvg-js', 'node:module'].includes(target)),
  },
  {
    module: 'api/analysis, api/routes and api/exports',
    files: () => [...sourceFiles('api/analysis'), ...sourceFiles('api/routes'), ...sourceFiles('api/exports'), ...sourceFiles('api/queries')],
    allowed: (target) => !/^(etl|web)\//.test(target) && !['svelte', '@sveltejs/kit'].includes(target),
  },
  {
    module: 'api/pack',
    files: () => sourceFiles('api/pack'),
    allowed: (target, file) =>
      // A pack reads every number through the API's routes (an injected request), so it takes no query and no
      // analysis beyond the finding sentence's number format; only its command line opens the database and the app.
      target.startsWith('api/pack/') ||
      target.startsWith('api/charts') ||
      target.startsWith('api/stats') ||
      target === 'api/analysis/finding-sentence' ||
      // jszip: the deck's native charts are restyled per series after pptxgenjs writes them.
      ['pptxgenjs', 'pdfkit', 'jszip', 'node:zlib', 'node:util', 'node:fs/promises', 'node:path'].includes(target) ||
      (file.endsWith('.test.ts') && ['vitest', 'test/support/pptx-parts'].includes(target)) ||
      (/^api\/pack\/cli(-arguments)?\.ts$/.test(file) && (target === 'db' || target === 'api/app' || target === 'api/routes/packs/packs.schemas')),
  },
  {
    module: 'etl',
    files: () => sourceFiles('etl'),
    allowed: (target) => !/^(web|api\/(routes|analysis|exports|queries|charts))\//.test(target) && !/^hono/.test(target),
  },
  {
    module: 'db',
    files: () => sourceFiles('db'),
    allowed: (target, file) =>
      target.startsWith('db/') || /^(drizzle-orm|@electric-sql\/pglite|postgres|proper-lockfile|node:)/.test(target) || (file.endsWith('.test.ts') && target === 'vitest'),
  },
];

describe('module boundaries', () => {
  for (const rule of rules) {
    it(`${rule.module} imports only what style.md allows`, () => {
      const files = rule.files();
      expect(files.length).toBeGreaterThan(0);
      const violations = files.flatMap((file) =>
        importsOf(file)
          .filter((target) => !rule.allowed(target, file))
          .map((target) => `${file} imports ${target}`),
      );
      expect(violations).toEqual([]);
    });
  }
});

describe('dashboard boundaries', () => {
  // style.md: web/src draws with api/charts and knows the API only by the types of api/app.ts (for hc).
  const allowed = (specifier: string) =>
    specifier.startsWith('.') ||
    /^\$(lib|app)\//.test(specifier) ||
    /^\$charts(\/|$)/.test(specifier) ||
    /^(svelte|svelte\/.+|@sveltejs\/kit|echarts|hono\/client)$/.test(specifier);

  it('web/src imports api/charts, SvelteKit and ECharts, and only types from api/app', () => {
    const files = sourceFiles('web/src');
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((file) =>
      [...readFileSync(join(root, file), 'utf8').matchAll(/import\s+(type\s+)?[^'"]*?from\s+['"]([^'"]+)['"]/g)].flatMap(([, typeOnly, specifier]) => {
        if (specifier === '$api/app' && typeOnly) return [];
        return allowed(specifier) ? [] : [`${file} imports ${typeOnly ? 'type ' : ''}${specifier}`];
      }),
    );
    expect(violations).toEqual([]);
  });
});
