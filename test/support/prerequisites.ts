import { accessSync, constants, existsSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/**
 * What the test suite needs beyond `npm install`, and which tests need it. Under CI a missing one fails the
 * run (a skipped group would let CI go green without its tests); elsewhere the groups needing it are skipped
 * and the run says so once (test/support/prerequisites-setup.ts, vitest's globalSetup).
 */

export type PrerequisiteName = 'chromium' | 'shared' | 'poppler' | 'postgres';

export interface Prerequisite {
  /** What is missing, as a person would look for it, or undefined when it is present. */
  missing(): string | undefined;
  install: string;
  neededBy: string;
  /** How a test file marks a group (or a test) that needs it, to count what a missing one skips. */
  marker: RegExp;
  marks: 'test group' | 'test';
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Debian's Chromium (`apt-get install chromium`, as .ci/run does); never a browser a test tool downloads. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** ../shared beside the project: oracle files and real NHS data, present in CI, absent in a user's clone. */
export const sharedRoot = resolve(process.env.VARIATION_ATLAS_SHARED_DIR ?? join(projectRoot, '..', 'shared'));
export const postgresBinaries = process.env.POSTGRES_BIN ?? '/usr/lib/postgresql/15/bin';
const popplerTools = ['pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts'];

function onPath(tool: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder, tool), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

export const prerequisites: Record<PrerequisiteName, Prerequisite> = {
  chromium: {
    missing: () => (existsSync(chromiumPath) ? undefined : `Chromium: nothing at ${chromiumPath}`),
    install: 'apt-get install chromium, or set CHROMIUM_PATH',
    neededBy: 'the dashboard in the browser (test/e2e)',
    marker: /\bdescribeDemoInBrowser\(/g,
    marks: 'test group',
  },
  shared: {
    missing: () => (existsSync(join(sharedRoot, 'oracles')) ? undefined : `the shared reference files: no ${join(sharedRoot, 'oracles')}`),
    install: 'put the shared folder (oracles/, data/) beside the project as ../shared, or set VARIATION_ATLAS_SHARED_DIR',
    neededBy: 'the oracle tests and the ETL on real NHS data',
    marker: /\bdescribeWithShared\(/g,
    marks: 'test group',
  },
  poppler: {
    missing: () => {
      const absent = popplerTools.filter((tool) => !onPath(tool));
      return absent.length === 0 ? undefined : `poppler: ${absent.join(', ')} not on PATH`;
    },
    install: 'apt-get install poppler-utils',
    neededBy: 'the board pack opened as a PDF',
    marker: /\bitNeeding\('poppler'/g,
    marks: 'test',
  },
  postgres: {
    missing: () => {
      const absent = ['initdb', 'pg_ctl'].filter((tool) => !existsSync(join(postgresBinaries, tool)));
      return absent.length === 0 ? undefined : `PostgreSQL server binaries: no ${absent.join(', ')} in ${postgresBinaries}`;
    },
    install: 'apt-get install postgresql-15, or set POSTGRES_BIN',
    neededBy: 'the fault tests that stop and crash a private cluster (test/proof)',
    marker: /\bprivateCluster: true\b/g,
    marks: 'test group',
  },
};

/** CI=true (as .ci/run sets it, and most CI services do). */
export const underCi = (() => {
  const value = process.env.CI?.trim().toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
})();

export function missingMessage(prerequisite: Prerequisite, reason: string): string {
  return `${reason}, needed by ${prerequisite.neededBy}: ${prerequisite.install}`;
}

function testFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) return [];
    const path = join(folder, entry.name);
    return entry.isDirectory() ? testFiles(path) : entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** How many groups (or tests) in the test files are marked as needing a prerequisite. */
export function markedNeeding(prerequisite: Prerequisite): number {
  const files = ['api', 'db', 'etl', 'test'].flatMap((folder) => (existsSync(join(projectRoot, folder)) ? testFiles(join(projectRoot, folder)) : []));
  return files.reduce((count, file) => count + (readFileSync(file, 'utf8').match(prerequisite.marker)?.length ?? 0), 0);
}

/** The run-wide check: every missing prerequisite with its message, and how many groups or tests it skips. */
export function checkPrerequisites(): { message: string; skipped: string }[] {
  return Object.values(prerequisites).flatMap((prerequisite) => {
    const reason = prerequisite.missing();
    if (reason === undefined) return [];
    const count = markedNeeding(prerequisite);
    return [{ message: missingMessage(prerequisite, reason), skipped: `${count} ${prerequisite.marks}${count === 1 ? '' : 's'}` }];
  });
}

function failure(name: PrerequisiteName, reason: string): () => never {
  return () => {
    throw new Error(`missing under CI: ${missingMessage(prerequisites[name], reason)}`);
  };
}

/**
 * describe() where the prerequisite is present. Where it is missing: under CI a group whose one test fails with
 * the message, so a file run alone cannot go green either; elsewhere skipped, with the reason in its title.
 */
export function describeNeeding(name: PrerequisiteName, title: string, body: () => void): void {
  const reason = prerequisites[name].missing();
  if (reason === undefined) describe(title, body);
  else if (underCi) describe(title, () => it(`needs ${name}`, failure(name, reason)));
  else describe.skip(`${title} (skipped: ${reason})`, body);
}

/** it() where the prerequisite is present; failing under CI and skipped elsewhere where it is missing. */
export function itNeeding(name: PrerequisiteName, title: string, test: () => unknown): void {
  const reason = prerequisites[name].missing();
  if (reason === undefined) it(title, test);
  else if (underCi) it(title, failure(name, reason));
  else it.skip(`${title} (skipped: ${reason})`, test);
}
