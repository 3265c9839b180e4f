import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from './support/browser';

/**
 * CI cannot go green on skipped tests: the prerequisite check (test/support/prerequisites-setup.ts, vitest's
 * globalSetup) run in a child process against stand-ins for Chromium, ../shared, poppler and PostgreSQL's
 * binaries, each taken away in turn. Stand-ins keep the proof the same on a machine with or without the real ones.
 */
const root = mkdtempSync(join(tmpdir(), 'va-prerequisites-'));
const bin = join(root, 'bin');
const postgresBin = join(root, 'postgres-bin');
mkdirSync(bin);
mkdirSync(postgresBin);
mkdirSync(join(root, 'shared', 'oracles'), { recursive: true });
writeFileSync(join(root, 'chromium'), '');
// A configuration without the global set-up: a test file run so must not go green under CI either.
writeFileSync(join(root, 'vitest.config.mjs'), 'export default { test: {} };\n');
symlinkSync(process.execPath, join(bin, 'node'));
for (const [folder, tool] of [...['pdftotext', 'pdftoppm', 'pdfinfo', 'pdffonts'].map((tool) => [bin, tool]), [postgresBin, 'initdb'], [postgresBin, 'pg_ctl']]) {
  writeFileSync(join(folder, tool), '#!/bin/sh\n');
  chmodSync(join(folder, tool), 0o755);
}
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Everything present, on a PATH of only the stand-ins and node, without colour; this run's own vitest variables left out. */
function environment(overrides: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST') && !['CI', 'FORCE_COLOR'].includes(name)));
  const present = { CHROMIUM_PATH: join(root, 'chromium'), VARIATION_ATLAS_SHARED_DIR: join(root, 'shared'), POSTGRES_BIN: postgresBin, PATH: bin, NO_COLOR: '1' };
  return { ...inherited, ...present, ...overrides };
}

function run(args: string[], overrides: Record<string, string | undefined>) {
  const result = spawnSync(process.execPath, args, { cwd: projectRoot, env: environment(overrides), encoding: 'utf8', timeout: 90_000 });
  return { status: result.status, output: result.stdout + result.stderr };
}

const check = (overrides: Record<string, string | undefined>) => run(['--import', 'tsx', 'test/support/prerequisites-setup.ts'], overrides);

describe('the test prerequisites check', () => {
  it('passes under CI with everything present, saying nothing', () => {
    expect(check({ CI: 'true' })).toEqual({ status: 0, output: '' });
  });

  it.each([
    ['Chromium', { CHROMIUM_PATH: '/nonexistent' }, 'Chromium: nothing at /nonexistent', 'apt-get install chromium'],
    ['../shared', { VARIATION_ATLAS_SHARED_DIR: join(root, 'no-shared') }, `no ${join(root, 'no-shared', 'oracles')}`, 'VARIATION_ATLAS_SHARED_DIR'],
    ['pdftotext', { PATH: join(root, 'no-bin') }, 'pdftotext, pdftoppm, pdfinfo, pdffonts not on PATH', 'apt-get install poppler-utils'],
    ['PostgreSQL binaries', { POSTGRES_BIN: '/nonexistent' }, 'no initdb, pg_ctl in /nonexistent', 'apt-get install postgresql-15'],
  ])('fails under CI without %s, naming it and how to install it', (_, missing, message, install) => {
    const { status, output } = check({ CI: 'true', ...missing });
    expect(status).not.toBe(0);
    expect(output).toContain('CI=true and a test prerequisite is missing');
    expect(output).toContain(message);
    expect(output).toContain(install);
  });

  it('outside CI says once what is skipped and why, and passes', () => {
    const { status, output } = check({ CHROMIUM_PATH: '/nonexistent' });
    expect(status).toBe(0);
    expect(output).toMatch(/^\[variation-atlas\] \d+ test groups skipped: Chromium: nothing at \/nonexistent, .*apt-get install chromium/);
    expect(output.trim().split('\n')).toHaveLength(1);
  });
});

describe('vitest with the check as its globalSetup', () => {
  const vitest = ['node_modules/vitest/vitest.mjs', 'run', 'test/architecture.test.ts'];

  it('fails the run under CI without Chromium, with the message', () => {
    const { status, output } = run(vitest, { CI: 'true', CHROMIUM_PATH: '/nonexistent' });
    expect(status).not.toBe(0);
    expect(output).toContain('Chromium: nothing at /nonexistent');
    expect(output).not.toMatch(/Tests\s+\d+ passed/);
  });

  it('runs outside CI, printing the line once for the two projects', () => {
    const { status, output } = run(vitest, { CHROMIUM_PATH: '/nonexistent' });
    expect(status, output).toBe(0);
    expect(output.match(/Chromium: nothing at \/nonexistent/g)).toHaveLength(1);
  });
});

describe('a file needing ../shared, run without the global set-up', () => {
  const alone = ['node_modules/vitest/vitest.mjs', 'run', '--config', join(root, 'vitest.config.mjs'), '--root', projectRoot, 'test/oracles/funnel-normal.oracle.test.ts'];
  const noShared = { VARIATION_ATLAS_SHARED_DIR: join(root, 'no-shared') };

  it('fails under CI with the message instead of skipping', () => {
    const { status, output } = run(alone, { CI: 'true', ...noShared });
    expect(status).not.toBe(0);
    expect(output).toContain(`missing under CI: the shared reference files: no ${join(root, 'no-shared', 'oracles')}`);
    expect(output).toMatch(/Tests\s+\d+ failed/);
  });

  it('is skipped outside CI', () => {
    const { status, output } = run(alone, noShared);
    expect(status, output).toBe(0);
    expect(output).toMatch(/Tests\s+\d+ skipped/);
  });
});
