import { join } from 'node:path';
import { createApp } from '../../api/app';
import { createDatabase, migrateDatabase, type DatabaseHandle } from '../../db';
import { loadDemo } from '../../etl/demo/load-demo';
import { createTestDatabase } from '../support/database';
import { temporaryFolder } from '../support/etl-fixtures';
import { fuzzApi, type FuzzReport } from './api-fuzz';
import { rowsOf, writeBulkObservations, type BulkShape } from './bulk-load';
import { readersDuringLoad, type ConcurrencyResult } from './concurrent-readers';
import { disclosureCost } from './disclosure-cost';
import { restartWhileServing, serveDemoOn, type RestartResult } from './database-restart';
import { killLoaderMidCopy, prepareKillTarget, type KillResult } from './loader-kill';
import { malformedFiles, prepareMalformedTarget, tryMalformedFiles, type MalformedReport } from './malformed-files';
import { privateClusterUnavailable, startPrivateCluster } from './private-cluster';

/**
 * `npm run soak [malformed] [fuzz] [readers] [kills] [restarts] [disclosure]`: the full-size proofs, then one report of what
 * was measured. PostgreSQL is DATABASE_URL or the local server; restarts use a private cluster of their own.
 * Sizes: SOAK_MALFORMED, SOAK_FUZZ (per driver), SOAK_ROWS, SOAK_READERS, SOAK_KILLS, SOAK_RESTARTS; SOAK_SEED.
 * Exits 1 when any count that must be zero is not.
 */

const env = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const seed = env('SOAK_SEED', Date.now() % 1_000_000);
const sizes = {
  malformed: env('SOAK_MALFORMED', 2000),
  fuzz: env('SOAK_FUZZ', 5000),
  rows: env('SOAK_ROWS', 1_000_000),
  readers: env('SOAK_READERS', 50),
  kills: env('SOAK_KILLS', 3),
  restarts: env('SOAK_RESTARTS', 4),
};
process.env.DATABASE_URL = process.env.DATABASE_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/test';
const serverUrl = process.env.DATABASE_URL;

const n = (value: number) => value.toLocaleString('en-GB');
const seconds = (value: number) => `${value.toFixed(2)} s`;
const failures: string[] = [];
const log = (line: string) => console.log(line);

/** A 1,000,000-row shape: 10 indicators × 10 quarters × organisations. */
const shapeFor = (rows: number): BulkShape => ({ indicators: 10, periods: 10, organisations: Math.max(1, Math.round(rows / 100)) });

const urlOf = (name: string | undefined) => {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

async function memoryPglite(): Promise<DatabaseHandle> {
  const handle = await createDatabase({ dataDir: 'memory' });
  await migrateDatabase(handle);
  return handle;
}

async function soakMalformed(): Promise<{ pglite: MalformedReport; postgres: MalformedReport }> {
  const files = temporaryFolder();
  const generated = malformedFiles(sizes.malformed, seed);
  const tryOn = async (handle: DatabaseHandle) => {
    try {
      await prepareMalformedTarget(handle, files.folder);
      return await tryMalformedFiles(handle, files.folder, generated);
    } finally {
      await handle.close();
    }
  };
  try {
    return { pglite: await tryOn(await memoryPglite()), postgres: await tryOn(await createTestDatabase()) };
  } finally {
    files.remove();
  }
}

async function soakFuzz(): Promise<{ pglite: FuzzReport; postgres: FuzzReport }> {
  const fuzzOn = async (handle: DatabaseHandle) => {
    try {
      await loadDemo(handle);
      return await fuzzApi(createApp({ db: handle.db, databaseKind: handle.kind }), { requests: sizes.fuzz, seed });
    } finally {
      await handle.close();
    }
  };
  return { pglite: await fuzzOn(await memoryPglite()), postgres: await fuzzOn(await createTestDatabase()) };
}

async function soakReaders(): Promise<ConcurrencyResult> {
  const files = temporaryFolder();
  const handle = await createTestDatabase();
  try {
    return await readersDuringLoad(handle, urlOf(handle.name), shapeFor(sizes.rows), { readers: sizes.readers, folder: files.folder });
  } finally {
    await handle.close();
    files.remove();
  }
}

/** Kills on PostgreSQL at evenly spread points of the COPY, then one on a file-backed PGlite at a tenth of the size. */
async function soakKills(): Promise<{ target: string; rows: number; result: KillResult }[]> {
  const results: { target: string; rows: number; result: KillResult }[] = [];
  for (let i = 0; i < sizes.kills; i++) {
    const fraction = (i + 1) / (sizes.kills + 1);
    const files = temporaryFolder();
    const handle = await createTestDatabase();
    try {
      const shape = shapeFor(sizes.rows);
      await prepareKillTarget({ kind: 'postgres', url: urlOf(handle.name), handle }, shape, files.folder);
      const file = join(files.folder, 'bulk.csv');
      await writeBulkObservations(file, shape, { fraction: 0.1 });
      results.push({ target: `PostgreSQL, killed at ${Math.round(fraction * 100)} %`, rows: rowsOf(shape), result: await killLoaderMidCopy({ kind: 'postgres', url: urlOf(handle.name), handle }, file, shape, fraction) });
    } finally {
      await handle.close();
      files.remove();
    }
  }
  const files = temporaryFolder();
  try {
    const shape = shapeFor(sizes.rows / 10);
    const target = { kind: 'pglite' as const, dataDir: join(files.folder, 'pglite') };
    await prepareKillTarget(target, shape, files.folder);
    const file = join(files.folder, 'bulk.csv');
    await writeBulkObservations(file, shape, { fraction: 0.1 });
    results.push({ target: 'PGlite (file-backed), killed at 50 %', rows: rowsOf(shape), result: await killLoaderMidCopy(target, file, shape, 0.5) });
  } finally {
    files.remove();
  }
  return results;
}

async function soakRestarts(): Promise<{ results: RestartResult[]; warnings: number } | string> {
  const unavailable = privateClusterUnavailable();
  if (unavailable) return unavailable;
  const cluster = await startPrivateCluster();
  const warn = console.warn;
  let warnings = 0;
  try {
    const api = await serveDemoOn(cluster);
    const results: RestartResult[] = [];
    // The API logs one line per request refused while the database is down: counted, not printed.
    console.warn = () => warnings++;
    try {
      for (let i = 0; i < sizes.restarts; i++) {
        results.push(await restartWhileServing(cluster, api, { mode: i % 2 === 0 ? 'fast' : 'immediate', downMs: 3000, readers: 8 }));
      }
    } finally {
      console.warn = warn;
      await api.close();
    }
    return { results, warnings };
  } finally {
    await cluster.remove();
  }
}

function row(name: string, value: string | number, mustBeZero = false): void {
  const shown = typeof value === 'number' ? n(value) : value;
  log(`  ${name.padEnd(66)} ${shown}`);
  if (mustBeZero && value !== 0) failures.push(`${name}: ${shown}`);
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

const sections = process.argv.slice(2);
const wanted = (name: string) => sections.length === 0 || sections.includes(name);
const summary: { malformed?: string; fuzz?: string; readers?: string; faults?: string; recovery?: string } = {};
const started = performance.now();
log(`# Variation Atlas soak: proof under bad input, load and faults (seed ${seed})`);

if (wanted('malformed')) {
  const { pglite, postgres } = await soakMalformed();
  log('\n## Malformed observation files, through the real loader');
  row('files tried on PGlite / PostgreSQL', `${n(pglite.tried)} / ${n(postgres.tried)} (${Object.keys(pglite.byKind).length} kinds)`);
  for (const [kind, count] of Object.entries(pglite.byKind).sort()) row(`  ${kind}`, count);
  row('half-loads (the database changed)', pglite.halfLoads.length + postgres.halfLoads.length, true);
  row('refusals not at the broken row and column', pglite.misreported.length + postgres.misreported.length, true);
  for (const problem of [...pglite.halfLoads, ...pglite.misreported, ...postgres.halfLoads, ...postgres.misreported].slice(0, 10)) log(`    ${problem}`);
  summary.malformed = `malformed inputs tried: ${n(pglite.tried + postgres.tried)}; half-loads: ${pglite.halfLoads.length + postgres.halfLoads.length}`;
}

if (wanted('fuzz')) {
  const { pglite, postgres } = await soakFuzz();
  const fiveHundreds = (report: FuzzReport) => Object.entries(report.byStatus).filter(([status]) => Number(status) >= 500).reduce((total, [, count]) => total + count, 0);
  log('\n## API fuzzing: every operation of the OpenAPI document, random and hostile parameters');
  row('operations fuzzed', pglite.operations);
  for (const [name, report] of [['PGlite', pglite], ['PostgreSQL', postgres]] as const) {
    row(`requests on ${name}`, `${n(report.requests)} (${Object.entries(report.byStatus).map(([status, count]) => `${status}: ${n(count)}`).join(', ')})`);
  }
  const total5xx = fiveHundreds(pglite) + fiveHundreds(postgres);
  row('5xx answers', total5xx, true);
  row('answers breaking the contract (stack, SQL, bare 4xx)', pglite.failures.length + postgres.failures.length - total5xx, true);
  for (const failure of [...pglite.failures, ...postgres.failures].slice(0, 10)) log(`    ${failure.url.slice(0, 160)}: ${failure.problem.slice(0, 200)}`);
  summary.fuzz = `fuzzed requests: ${n(pglite.requests + postgres.requests)}; 5xx answers: ${total5xx}`;
}

if (wanted('readers')) {
  const result = await soakReaders();
  log(`\n## ${n(result.readers)} readers on the API during a ${n(result.rows)}-row load (PostgreSQL, ETL CLI in its own process)`);
  row('load time with the readers', seconds(result.loadSeconds));
  row('reads (before the commit / after it)', `${n(result.reads)} (${n(result.sawBefore)} / ${n(result.sawAfter)})`);
  row('reader errors', result.errors.length, true);
  row('inconsistent reads (part of a batch)', result.inconsistent.length, true);
  for (const problem of [...result.errors, ...result.inconsistent].slice(0, 10)) log(`    ${problem}`);
  summary.readers = `readers: ${n(result.readers)} (${n(result.reads)} reads); inconsistent reads: ${result.inconsistent.length}; reader errors: ${result.errors.length}`;
}

if (wanted('disclosure')) {
  const handle = await createTestDatabase();
  try {
    await loadDemo(handle);
    const cost = await disclosureCost(handle);
    const percent = (value: number) => `${(value * 100).toFixed(1)} %`;
    log('\n## What disclosure control costs the demo funnels (withheld cells take no part in θ, φ or the limits)');
    row('funnels (indicator × period)', cost.funnels);
    row('cells withheld / all cells', `${n(cost.withheld)} / ${n(cost.cells)}`);
    row('θ moved, in funnels that withhold any (median / largest)', `${percent(cost.thetaShift.median)} / ${percent(cost.thetaShift.largest)}`);
    row('φ moved, in funnels that withhold any (median / largest)', `${percent(cost.phiShift.median)} / ${percent(cost.phiShift.largest)}`);
    row('published verdicts changed / judged', `${n(cost.verdictsChanged)} / ${n(cost.judged)}`);
  } finally {
    await handle.close();
  }
}

let faults = 0;
let dataLost = 0;
if (wanted('kills')) {
  const kills = await soakKills();
  log('\n## The loader killed (SIGKILL) mid-COPY, after moving the slice it revises');
  for (const { target, rows, result } of kills) {
    row(`${target}, ${n(rows)} rows`, `${result.progressAtKill}; ${result.unchanged ? 'database as before' : 'DATABASE CHANGED'}; reloaded ${n(result.reloadedRows)} rows`);
    faults++;
    if (!result.unchanged || result.reloadedRows !== rows) dataLost++;
  }
}

if (wanted('restarts')) {
  const restarts = await soakRestarts();
  log('\n## PostgreSQL stopped and started under the live HTTP API (private cluster)');
  if (typeof restarts === 'string') {
    row('skipped', restarts);
    summary.recovery = `recovery time after a database restart: not measured (${restarts})`;
  } else {
    for (const result of restarts.results) {
      row(
        `stop ${result.mode}: answers while down; all answers; slowest`,
        `${n(result.answersWhileDown)}; ${Object.entries(result.statuses).map(([status, count]) => `${status}: ${n(count)}`).join(', ')}; ${seconds(result.slowestAnswerMs / 1000)}`,
      );
      row(`  recovery after the server was back / whole outage`, `${seconds(result.recoverySeconds)} / ${seconds(result.outageSeconds)}`);
      for (const problem of result.problems.slice(0, 5)) log(`    ${problem}`);
      faults++;
      if (result.dataLost) dataLost++;
    }
    const problems = restarts.results.reduce((total, result) => total + result.problems.length, 0);
    row('answers that were not 200 or a prompt 503 database_unavailable', problems, true);
    row("API log lines 'database unavailable' (one per refused request)", restarts.warnings);
    const recoveries = restarts.results.map((result) => result.recoverySeconds);
    summary.recovery = `recovery time after a database restart: median ${seconds(median(recoveries))}, worst ${seconds(Math.max(...recoveries))} (from PostgreSQL accepting connections to the API's first 200)`;
  }
}

if (wanted('kills') || wanted('restarts')) {
  log('');
  row('faults injected', faults);
  row('faults that lost or changed data', dataLost, true);
  summary.faults = `faults injected: ${faults}; data lost: ${dataLost}`;
}

log(`\n## Summary (${seconds((performance.now() - started) / 1000)})`);
for (const line of [summary.malformed, summary.fuzz, summary.readers, summary.faults, summary.recovery]) if (line) log(`  ${line}`);
if (failures.length > 0) {
  log(`\nFAILED: ${failures.join('; ')}`);
  process.exitCode = 1;
}
