import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schema, type Database } from '../../db';

/**
 * A large observation load for the fault and concurrency proofs: reference rows inserted directly, a
 * deterministic generic CSV of indicators × periods × organisations, and the ETL CLI run as a child process,
 * so it can be killed, and so readers in this process really run beside it.
 */

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BulkShape {
  indicators: number;
  periods: number;
  organisations: number;
}

export const rowsOf = (shape: BulkShape) => shape.indicators * shape.periods * shape.organisations;
export const bulkIndicatorCode = (i: number) => `BULK${i}`;
export const bulkOrganisationCode = (o: number) => `B${String(o).padStart(6, '0')}`;

/** Quarters from 2015/16 Q1 onwards, as the loader reads them. */
export function bulkPeriodLabel(p: number): string {
  const year = 2015 + Math.floor(p / 4);
  return `${year}/${String((year + 1) % 100).padStart(2, '0')} Q${(p % 4) + 1}`;
}

/** The proportion indicators and trusts a bulk file names; through drizzle, so on PGlite and PostgreSQL alike. */
export async function seedBulkReference(db: Database, shape: BulkShape): Promise<void> {
  await db.insert(schema.indicators).values(
    Array.from({ length: shape.indicators }, (_, i) => ({
      code: bulkIndicatorCode(i), name: `Bulk indicator ${i}`, domain: 'Bulk', measureKind: 'proportion' as const, polarity: 'lower_is_better' as const, multiplier: 100, unit: '%',
    })),
  );
  for (let start = 0; start < shape.organisations; start += 5000) {
    const count = Math.min(5000, shape.organisations - start);
    await db.insert(schema.organisations).values(Array.from({ length: count }, (_, o) => ({ code: bulkOrganisationCode(start + o), name: `Bulk trust ${start + o}`, kind: 'trust' as const })));
  }
}

/**
 * Writes every indicator × period × organisation row with numerator = round(denominator × fraction), so a
 * reader can tell which file a slice came from by its pooled proportion alone.
 */
export async function writeBulkObservations(path: string, shape: BulkShape, options: { fraction: number; periodOffset?: number; seed?: number }): Promise<number> {
  const out = createWriteStream(path);
  out.write('indicator_code,organisation_code,period,numerator,denominator\n');
  let chunk = '';
  let seed = options.seed ?? 12345;
  for (let i = 0; i < shape.indicators; i++) {
    for (let p = 0; p < shape.periods; p++) {
      const period = bulkPeriodLabel(p + (options.periodOffset ?? 0));
      for (let o = 0; o < shape.organisations; o++) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        const denominator = 100 + (seed % 5000);
        chunk += `${bulkIndicatorCode(i)},${bulkOrganisationCode(o)},${period},${Math.round(denominator * options.fraction)},${denominator}\n`;
        if (chunk.length > 1 << 16) {
          if (!out.write(chunk)) await once(out, 'drain');
          chunk = '';
        }
      }
    }
  }
  out.end(chunk);
  await once(out, 'finish');
  return rowsOf(shape);
}

export interface LoaderProcess {
  child: ChildProcess;
  /** Resolves with the exit code (null when killed) and what the loader printed. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
}

/**
 * `npm run etl -- observations FILE` as one node process (tsx as an import hook, not its own wrapper process,
 * so SIGKILL reaches the loader itself), against DATABASE_URL or a PGlite data folder.
 */
export function spawnLoader(file: string, database: { url: string } | { dataDir: string }): LoaderProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: '1' };
  delete env.DATABASE_URL;
  if ('url' in database) env.DATABASE_URL = database.url;
  else env.VARIATION_ATLAS_DATA_DIR = database.dataDir;
  const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, 'etl', 'cli.ts'), 'observations', file], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (data: Buffer) => (output += data.toString()));
  child.stderr?.on('data', (data: Buffer) => (output += data.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, output })),
  );
  return { child, exited };
}
